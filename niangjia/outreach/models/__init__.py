"""Models of the outreach part: campaigns, their pairings and their visits."""

from niangjia.outreach.models.campaign import Campaign, CampaignTarget
from niangjia.outreach.models.pairing import Pairing

__all__ = ["Campaign", "CampaignTarget", "Pairing"]
