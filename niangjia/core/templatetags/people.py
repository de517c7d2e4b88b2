"""Template filters for people data: what pages may show of a person."""

from __future__ import annotations

from datetime import date

from django import template

register = template.Library()


@register.filter
def birth_year(born: date | None) -> str:
    """`{{ worker.birth_date|birth_year }}` → "1989 年生".

    Pages never show the birth date: beside the masked ID number ("6101**********1234") it
    would leave only the two district digits hidden. The year stays the same from day to
    day, where an age would tick over on the birthday (docs/personal-data.md).
    """
    return f"{born.year} 年生" if born is not None else "—"
