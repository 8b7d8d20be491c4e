"""Checking uploaded dossier files: the type is read from the content (not the name or what the
browser says), the size is limited (`OCOP_MAX_ATTACHMENT_MB`, 20 MB by default), and the file is
stored under a random name in the default storage — which the web server never publishes: a view
checks the user's scope and streams it."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", XLSX: "xlsx"}
NAME_EXTENSIONS = {
    PDF: {".pdf"},
    JPEG: {".jpg", ".jpeg"},
    PNG: {".png"},
    DOCX: {".docx"},
    XLSX: {".xlsx"},
}
# Shown in the browser; everything else is downloaded.
INLINE = {PDF, JPEG, PNG}


def max_bytes() -> int:
    return int(getattr(settings, "OCOP_MAX_ATTACHMENT_MB", 20)) * 1024 * 1024


def sniff(head: bytes, data_file) -> str | None:
    """The content type of a file from its first bytes (and, for Office files, its parts)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            data_file.seek(0)
            with zipfile.ZipFile(data_file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
    return None


@dataclass
class CheckedFile:
    content: ContentFile
    name: str  # the stored (random) name
    original_name: str
    content_type: str
    size: int
    sha256: str


def _refuse(field: str, message: str, code: str):
    return ValidationError({field: ValidationError(message, code=code)})


def check_upload(upload, field: str = "file") -> CheckedFile:
    """Validate an uploaded file, or raise a ValidationError (on `field`) saying why not."""
    limit = max_bytes()
    limit_mb = limit // (1024 * 1024)
    size = getattr(upload, "size", None) or 0
    if size > limit:
        raise _refuse(
            field,
            _("The file is %(size).1f MB; at most %(max)s MB are allowed.")
            % {"size": size / 1024 / 1024, "max": limit_mb},
            "too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(field, _("The file is larger than %(max)s MB.") % {"max": limit_mb}, "too_large")
    if not data:
        raise _refuse(field, _("The file is empty."), "empty")
    kind = sniff(data[:16], io.BytesIO(data))
    if kind is None:
        raise _refuse(
            field,
            _("This kind of file is not accepted: only PDF, JPEG, PNG, Word and Excel files are."),
            "type",
        )
    original = os.path.basename(getattr(upload, "name", "") or "")[:255]
    extension = os.path.splitext(original)[1].lower()
    if extension and extension not in NAME_EXTENSIONS[kind]:
        raise _refuse(
            field,
            _("The file's name ends in %(ext)s but its content is a %(kind)s file.")
            % {"ext": extension, "kind": EXTENSIONS[kind].upper()},
            "type",
        )
    return CheckedFile(
        content=ContentFile(data),
        name=f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}",
        original_name=original or f"file.{EXTENSIONS[kind]}",
        content_type=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def stream(stored, *, download_name: str):
    """A FileResponse for a stored file (the caller has checked the user's scope)."""
    from django.http import FileResponse, Http404

    if not stored.file:
        raise Http404
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = stored.content_type if stored.content_type in EXTENSIONS else "application/octet-stream"
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type not in INLINE,
        filename=download_name,
    )
    response["Cache-Control"] = "private, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
