"""Every PDF is written here, so that each one carries the print fonts (wfm/printing/fonts.py).

The fonts are declared in a stylesheet of their own beside the document's (WeasyPrint loads an @font-face
only through the FontConfiguration it is handed); the templates name the families (`pdf_base.html`).
A document without the fonts installed is refused (fonts.MissingFont), never printed in boxes.
"""

from __future__ import annotations

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from wfm.printing import fonts


def document(html: str) -> Document:
    """The laid-out pages, for a caller (a test) that reads their boxes."""
    font_config = FontConfiguration()
    faces = CSS(string=fonts.font_faces(), font_config=font_config)
    return HTML(string=html).render(stylesheets=[faces], font_config=font_config)


def write_pdf(html: str) -> bytes:
    return document(html).write_pdf()
