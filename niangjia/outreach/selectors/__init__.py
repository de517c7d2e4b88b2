"""The outreach part's selectors, one module per subject (campaigns, pairing, visits…)."""
