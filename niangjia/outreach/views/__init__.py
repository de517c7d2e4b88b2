"""The outreach part's views, one module per subject (campaigns, pairing, visits…)."""
