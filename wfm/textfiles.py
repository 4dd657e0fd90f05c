"""Files people give the application and take from it: the encodings an upload may be in, and CSV downloads.

Uploads are decoded by `scheduling.textfile` (UTF-8 with or without a BOM, else GB18030, which reads GBK);
a form that takes a file offers `ENCODING_CHOICES` so a person can name the encoding when guessing is not
wanted. Every CSV a person downloads is UTF-8 with a BOM (`csv_download`): Excel, above all a Chinese
Excel, reads a CSV without one in the system code page and shows Chinese names as mojibake. Our own
importers drop the BOM again, so a download can be imported back.
"""

from __future__ import annotations

import click
from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from scheduling.textfile import ENCODINGS, NotText, read_text
from wfm.errors import FieldError
from wfm.i18n import translate

BOM = "\ufeff"
ENCODING_LABELS = {"auto": _l("automatic"), "utf-8": "UTF-8", "gb18030": "GB18030 (GBK)"}
ENCODING_CHOICES = [(code, ENCODING_LABELS[code]) for code in ENCODINGS]


def upload_text(upload, field: str = "file", encoding: str = "auto") -> str:
    """The text of an uploaded file (a werkzeug `FileStorage`), or `FieldError` on `field` naming the file
    and the line of the first byte that is not text in the encodings tried."""
    if not upload:
        raise FieldError(field, _("Choose a file to import."))
    name = upload.filename or _("upload")
    try:
        return read_text(upload.stream, encoding if encoding in ENCODINGS else "auto")
    except NotText as error:
        raise FieldError(
            field,
            _(
                "File “%(name)s”, line %(line)s: %(problem)s.",
                name=name,
                line=error.line,
                problem=translate(error.message),
            ),
        ) from None


def encoding_option(command):
    """The `--encoding` option of a command that reads a file people make (default: detected)."""
    return click.option(
        "--encoding",
        type=click.Choice(ENCODINGS),
        default="auto",
        show_default=True,
        help="The file's text encoding; auto reads UTF-8 (with or without a BOM), else GB18030 (GBK).",
    )(command)


def csv_download(text: str, filename: str) -> Response:
    """`text` (CSV) as a download named `filename`: UTF-8 with a BOM, so spreadsheets read it as UTF-8."""
    return Response(
        BOM + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
