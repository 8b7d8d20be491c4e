"""PDF documents (scorecards, certificates, reports) from HTML, with WeasyPrint.

`html_to_pdf` is the one way the system writes a PDF:
* nothing is fetched: a document has no external resource, and nothing a user typed may make the
  server open a URL or a file;
* the same HTML gives the same bytes. WeasyPrint embeds a subset of each font, and the font
  library stamps the subset's `head` table with the current second — so two builds a second
  apart differed (a report's PDF was not reproducible). The stamp honours SOURCE_DATE_EPOCH
  (the reproducible-builds convention), which is set to a fixed date while the PDF is written.
"""

from __future__ import annotations

import os
import threading

# 01/01/2026 00:00 UTC: the fonts' "modified" date in every generated PDF.
FONT_EPOCH = "1767225600"
_ENV_LOCK = threading.Lock()


def _fetcher():
    from weasyprint.urls import URLFetcher

    class NoFetch(URLFetcher):
        """Refuses every URL (WeasyPrint then leaves the resource out and goes on)."""

        def fetch(self, url, headers=None):
            return refuse(url)

    return NoFetch()


def refuse(url: str):
    raise ValueError(f"external resources are not loaded: {url[:80]}")


def html_to_pdf(html: str, identifier: bytes | None = None) -> bytes:
    from weasyprint import HTML

    options = {"pdf_identifier": identifier} if identifier else {}
    with _ENV_LOCK:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = before or FONT_EPOCH
        try:
            return HTML(string=html, url_fetcher=_fetcher()).write_pdf(**options)
        finally:
            if before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
