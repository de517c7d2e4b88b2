"""Models of assistance: the work queue, the hardship archive, contact households, applications, rounds."""

from niangjia.assistance.models.applications import Application, ApplicationEvent, Decision, Paper, PaperFile
from niangjia.assistance.models.archive import ArchiveEvent, HardshipArchive, NoticeObjection, PublicNotice
from niangjia.assistance.models.contacts import ContactHousehold, ContactLog
from niangjia.assistance.models.queue import QueueEntry, QueueItem, QueueWatermark
from niangjia.assistance.models.rounds import Round, RoundItem

__all__ = [
    "Application",
    "ApplicationEvent",
    "ArchiveEvent",
    "ContactHousehold",
    "ContactLog",
    "Decision",
    "HardshipArchive",
    "NoticeObjection",
    "Paper",
    "PaperFile",
    "PublicNotice",
    "QueueEntry",
    "QueueItem",
    "QueueWatermark",
    "Round",
    "RoundItem",
]
