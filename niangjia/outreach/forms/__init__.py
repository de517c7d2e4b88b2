"""The outreach part's forms, one module per subject (campaigns, pairing, visits…)."""
