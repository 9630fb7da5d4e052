"""Figures as Vietnamese writes them: 84,45%, +1,23 điểm %, 2.815."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from hailong.analytics.indices import percent, round_half_up

register = template.Library()


@register.filter
def pct(value) -> str:
    """A share in [0, 1] (a Fraction or float) as a percent with 2 decimals: "84,45%"."""
    shown = percent(value)
    if shown is None:
        return "—"
    return f"{number_format(shown, 2, force_grouping=True)}%"


@register.filter
def points(value: Decimal | None) -> str:
    """A change in percentage points with its sign: "+1,23", "−0,50", "0,00"."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{number_format(abs(value), 2, force_grouping=True)}"


@register.filter
def signed(value: int | None) -> str:
    """A change in a count with its sign and grouping: "+1.204", "−3"."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{number_format(abs(value), 0, force_grouping=True)}"


@register.filter
def mean2(value) -> str:
    """A mean answer with 2 decimals: "4,12"."""
    if value is None:
        return "—"
    return number_format(round_half_up(value), 2)


@register.filter
def decimal1(value) -> str:
    """A TT 01/2018 index as published, one decimal: "1,5"."""
    if value is None:
        return "—"
    return number_format(round_half_up(value, 1), 1)
