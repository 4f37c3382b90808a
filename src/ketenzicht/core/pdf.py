"""The one PDF renderer: HTML made from our own templates in, PDF bytes out (WeasyPrint).

Used by the evidence dossier and the online network report. No URL protocol is allowed,
so a PDF never loads anything (no file://, no network, no data: trick), whatever text a
title or note carries; a reference to one is dropped by WeasyPrint, not fetched.
"""

from __future__ import annotations


def render(html: str) -> bytes:
    """The PDF of already-rendered, self-contained HTML."""
    from weasyprint import HTML  # heavy (fonts, Pango): only when a PDF is made
    from weasyprint.urls import URLFetcher

    pdf: bytes = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    return pdf
