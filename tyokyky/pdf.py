"""
PDFs with WeasyPrint: tagged for accessibility (PDF/UA-1), Finnish glyphs in DejaVu Sans.

The URL fetcher gives WeasyPrint our own static files and nothing else, so a document can
never make the server fetch from the network or read other files (WeasyPrint v68 and v69 were
security releases about URL fetching).
"""

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://pdf.tyokyky.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


class StaticFilesOnly(URLFetcher):
    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_PREFIX):
            raise ValueError("PDFs may only use the app's own static files.")
        path = finders.find(url.removeprefix(STATIC_PREFIX).split("?")[0])
        if not path:
            raise ValueError("No such static file.")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": content_type})


def render_pdf(request, template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context, request=request)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly())
    return document.write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Client data must not linger in shared caches or the browser's disk cache.
    response["Cache-Control"] = "no-store"
    return response
