"""Printable documents of the surveys app (reportlab PDFs with Vietnamese glyphs)."""
