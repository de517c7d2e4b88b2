"""Models of the outreach part: campaigns, their pairings and their visits."""

from niangjia.outreach.models.campaign import Campaign, CampaignTarget
from niangjia.outreach.models.pairing import Pairing, PairingExclusion, PairingRun
from niangjia.outreach.models.visit import FactConflict, Visit, VisitNeed, VisitPhoto, VisitSignal

__all__ = ["Campaign", "CampaignTarget", "Pairing"]
__all__ += ["PairingExclusion", "PairingRun"]
__all__ += ["FactConflict", "Visit", "VisitNeed", "VisitPhoto", "VisitSignal"]
