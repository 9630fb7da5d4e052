"""Figures as Vietnamese writes them: 84,45%, +1,23 điểm %, 2.815."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from hailong.analytics.indices import percent, round_half_up

register = template.Library()

NO_FIGURE = "—"


def _written(
    value, decimals: int, *, grouped: bool = True, signed: bool = False, suffix: str = ""
) -> str:
    """A number as the language writes it, with `decimals` decimals: grouped in thousands
    (1.204) unless told not to; with "signed", "+" or "−" (the minus sign, not a hyphen) before
    a change other than zero. No figure is a dash."""
    if value is None:
        return NO_FIGURE
    sign = ("+" if value > 0 else "−" if value < 0 else "") if signed else ""
    shown = abs(value) if signed else value
    return f"{sign}{number_format(shown, decimals, force_grouping=grouped)}{suffix}"


@register.filter
def pct(value) -> str:
    """A share in [0, 1] (a Fraction or float) as a percent with 2 decimals: "84,45%"."""
    return _written(percent(value), 2, suffix="%")


@register.filter
def points(value: Decimal | None) -> str:
    """A change in percentage points with its sign: "+1,23", "−0,50", "0,00"."""
    return _written(value, 2, signed=True)


@register.filter
def signed(value: int | None) -> str:
    """A change in a count with its sign and grouping: "+1.204", "−3"."""
    return _written(value, 0, signed=True)


@register.filter
def mean2(value) -> str:
    """A mean answer with 2 decimals: "4,12"."""
    return _written(None if value is None else round_half_up(value), 2, grouped=False)


@register.filter
def decimal1(value) -> str:
    """A TT 01/2018 index as published, one decimal: "1,5"."""
    return _written(None if value is None else round_half_up(value, 1), 1, grouped=False)
