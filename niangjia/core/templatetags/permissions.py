"""Template filters asking the scoping chokepoint what the viewer may do, so no page shows a button
its viewer cannot use: `{% if user|allows:"change" %}` (the role), `{% if user|can_change:worker %}`
(this record)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from niangjia.core.scoping import Action, allows, can

register = template.Library()


@register.filter(name="allows")
def allows_filter(user: Any, action: str) -> bool:
    """Whether the viewer's role may `action` at all ("change", "export", "reveal", "sensitive"…)."""
    return allows(user, Action(action))


@register.filter
def can_change(user: Any, obj: models.Model | None) -> bool:
    """Whether the viewer may change this record (one indexed query)."""
    return obj is not None and can(user, Action.CHANGE, obj)
