"""The bulletin (通报) of a campaign: data, PDF (WeasyPrint) and xlsx."""

from niangjia.reports.bulletin.data import Bulletin, bulletin_data
from niangjia.reports.bulletin.render import bulletin_pdf, bulletin_xlsx

__all__ = ["Bulletin", "bulletin_data", "bulletin_pdf", "bulletin_xlsx"]
