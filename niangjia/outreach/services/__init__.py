"""The outreach part's services, one module per subject (campaigns, pairing, visits…)."""
