"""Template filters of screening pages."""

from __future__ import annotations

from typing import Any

from django import template

from niangjia.screening.pack import current_policies, policy_names

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`{{ names|get_item:policy_id }}`."""
    return mapping.get(key, "")


@register.filter
def policy_name(policy_id: str) -> str:
    """`{{ aid.policy_id|policy_name }}` → "送温暖": the published policy's name, the id only if none has it."""
    return policy_names(current_policies()).get(policy_id, policy_id)
