"""The dashboard's number filters, pinned: the page, the home headline and their tests read
these exact texts (Vietnamese first, English as the second language)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template
from django.utils import translation

CASES = [
    ("pct", None, "—", "—"),
    ("pct", Fraction(2, 3), "66,67%", "66.67%"),
    ("pct", 0.75, "75,00%", "75.00%"),
    ("pct", Fraction(1, 8), "12,50%", "12.50%"),
    ("pct", 0.0, "0,00%", "0.00%"),
    ("pct", 1, "100,00%", "100.00%"),
    ("points", None, "—", "—"),
    ("points", Decimal("1.23"), "+1,23", "+1.23"),
    ("points", Decimal("-0.5"), "−0,50", "−0.50"),
    ("points", Decimal("0"), "0,00", "0.00"),
    ("points", Decimal("-1234.5"), "−1.234,50", "−1,234.50"),
    ("signed", None, "—", "—"),
    ("signed", 1204, "+1.204", "+1,204"),
    ("signed", -3, "−3", "−3"),
    ("signed", 0, "0", "0"),
    ("signed", -1234567, "−1.234.567", "−1,234,567"),
    ("mean2", None, "—", "—"),
    ("mean2", Fraction(37, 9), "4,11", "4.11"),
    ("mean2", 4.125, "4,13", "4.13"),
    ("mean2", Decimal("1234.5"), "1234,50", "1234.50"),
    ("decimal1", None, "—", "—"),
    ("decimal1", Fraction(3, 2), "1,5", "1.5"),
    ("decimal1", 0.25, "0,3", "0.3"),
    ("decimal1", Decimal("1234.56"), "1234,6", "1234.6"),
]


@pytest.mark.parametrize(("name", "value", "vi", "en"), CASES)
def test_each_filter_writes_its_figure_as_each_language_does(name, value, vi, en):
    template = Template("{% load analytics_tags %}{{ value|" + name + " }}")
    written = {}
    for language in ("vi", "en"):
        with translation.override(language):
            written[language] = template.render(Context({"value": value}))
    assert written == {"vi": vi, "en": en}
