"""Uploads: what a file field accepts, where it is stored, and which stored files ``/media/`` may serve.

* **Accepted by content.** A field's :class:`UploadPolicy` reads the first bytes of the file (magic bytes,
  through the ``filetype`` library) and its size; the name and the ``Content-Type`` the client sent are never
  trusted. The policy is the field's validator, so a ModelForm (the admin), ``full_clean`` and the services
  check a file *before* it is written to storage.
* **Stored under random names.** :class:`RandomName` is the ``upload_to`` of every uploaded field:
  ``<prefix>/<uuid4 hex>.<extension of the detected kind>``. A visitor cannot guess a draft's file from a
  published one, and an uploaded name cannot collide with or overwrite another file.
* **Served only when published.** Each app registers the file fields that ``/media/`` may serve and the
  queryset that says which rows are visible (:func:`register_public_files`, in ``AppConfig.ready()``);
  :func:`public_file` answers whether a stored name belongs to a visible row. Anything else, drafts
  included, is a 404. Downloads are attachments; fields registered ``inline`` (videos, for ``<video>``)
  are served inline. Every response says ``X-Content-Type-Options: nosniff``. Video posters, captions
  (WebVTT, recognised by their ``WEBVTT`` first line) and MP4 renditions are fields like any other.

Later sub-platforms (vocational, employment…) declare their fields the same way::

    video = models.FileField(upload_to=RandomName("vocational/videos"), validators=[VIDEO_UPLOAD])
    register_public_files(PublicFiles(model="vocational.Lesson", fields=("video",),
                                      visible=lambda: Lesson.objects.visible(), inline=("video",)))
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

import filetype
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    """A kind of file recognised by its content: the MIME type ``filetype`` reports, and its extension."""

    key: str
    mime: str
    extension: str


MP4 = FileKind("mp4", "video/mp4", "mp4")
WEBM = FileKind("webm", "video/webm", "webm")
PDF = FileKind("pdf", "application/pdf", "pdf")
PPTX = FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")
JPEG = FileKind("jpeg", "image/jpeg", "jpg")
PNG = FileKind("png", "image/png", "png")  # covers, and scanned documents (employment: business licences)
# WebVTT captions are text: recognised by their mandatory first line, "WEBVTT" (after an optional BOM).
VTT = FileKind("vtt", "text/vtt", "vtt")
KINDS: dict[str, FileKind] = {kind.key: kind for kind in (MP4, WEBM, PDF, PPTX, JPEG, PNG, VTT)}
_BY_MIME: dict[str, FileKind] = {kind.mime: kind for kind in KINDS.values()}
_VTT_SIGNATURE = b"WEBVTT"
_BOM = b"\xef\xbb\xbf"


def _head(content: bytes | IO[bytes], size: int = 16) -> bytes:
    if isinstance(content, bytes | bytearray):
        return bytes(content[:size])
    position = content.tell()
    try:
        return content.read(size)
    finally:
        content.seek(position)


def _is_vtt(head: bytes) -> bool:
    head = head.removeprefix(_BOM)
    return head.startswith(_VTT_SIGNATURE) and (len(head) == 6 or head[6:7] in (b"\n", b"\r", b" ", b"\t"))


def detect(content: bytes | IO[bytes]) -> FileKind | None:
    """The known kind of ``content`` (bytes or a file; its position is kept), from its first bytes only."""
    if _is_vtt(_head(content)):
        return VTT
    guess = filetype.guess(content)
    return _BY_MIME.get(guess.mime) if guess is not None else None


def _size(file: Any) -> int:
    if isinstance(file, bytes | bytearray):
        return len(file)
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(position)
    return int(size)


def _open_for_reading(file: Any) -> Any:
    """The readable object behind a FieldFile (opened from storage if need be) or an UploadedFile."""
    return getattr(file, "file", file)


@deconstructible
class UploadPolicy:
    """A file field's rule: the kinds it accepts (by content) and its largest size in bytes.

    Called as a validator with a file (``UploadedFile``, ``FieldFile``, ``File``) or bytes; raises
    ``ValidationError`` with a message naming what is allowed.
    """

    def __init__(self, *, kinds: tuple[str, ...], max_bytes: int) -> None:
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown file kinds: {sorted(unknown)}")
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    @property
    def allowed(self) -> str:
        return ", ".join(KINDS[key].extension.upper() for key in self.kinds)

    def check(self, file: Any) -> FileKind:
        """The kind of an acceptable ``file``; ``ValidationError`` otherwise. Nothing is written."""
        if _size(file) > self.max_bytes:
            raise ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": self.max_bytes // MB},
                code="file_too_large",
            )
        content = file if isinstance(file, bytes | bytearray) else _open_for_reading(file)
        kind = detect(bytes(content) if isinstance(content, bytearray) else content)
        if kind is None or kind.key not in self.kinds:
            raise ValidationError(
                _("This file's content is not an accepted kind (accepted: %(kinds)s).")
                % {"kinds": self.allowed},
                code="file_kind",
            )
        return kind

    def __call__(self, file: Any) -> None:
        self.check(file)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadPolicy) and (self.kinds, self.max_bytes) == (
            other.kinds,
            other.max_bytes,
        )

    def __hash__(self) -> int:
        return hash((self.kinds, self.max_bytes))


# The policies of the fields that exist today; a new field picks one or makes its own.
VIDEO_UPLOAD = UploadPolicy(kinds=("mp4", "webm"), max_bytes=1024 * MB)
SLIDES_UPLOAD = UploadPolicy(kinds=("pdf", "pptx"), max_bytes=100 * MB)
DOCUMENT_UPLOAD = UploadPolicy(kinds=("pdf", "pptx"), max_bytes=100 * MB)
PDF_UPLOAD = UploadPolicy(kinds=("pdf",), max_bytes=300 * MB)
MP4_UPLOAD = UploadPolicy(kinds=("mp4",), max_bytes=1024 * MB)
IMAGE_UPLOAD = UploadPolicy(kinds=("jpeg", "png"), max_bytes=5 * MB)
CAPTIONS_UPLOAD = UploadPolicy(kinds=("vtt",), max_bytes=1 * MB)


@deconstructible
class RandomName:
    """``upload_to``: ``<prefix>/<uuid4 hex>.<extension>``, whatever the uploaded name was.

    The extension is the uploaded name's when it is one of the known kinds' (the policy has checked the
    content by then), else none; ``/media/`` sets the content type from the content, not from the name.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance: Model | None, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower().lstrip(".")
        extensions = {kind.extension for kind in KINDS.values()}
        name = uuid.uuid4().hex + (f".{suffix}" if suffix in extensions else "")
        return f"{self.prefix}/{name}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


# --- Which stored files /media/ may serve --------------------------------------------------------


@dataclass(frozen=True)
class PublicFiles:
    """File fields of one model that ``/media/`` serves for the rows ``visible()`` returns.

    ``model`` is ``"app_label.ModelName"``; ``inline`` lists the fields served inline (videos, which a
    ``<video>`` element plays); every other field is served as an attachment.
    """

    model: str
    fields: tuple[str, ...]
    visible: Callable[[], QuerySet[Any]]
    inline: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PublicFile:
    """A stored name that belongs to a visible row: how to serve it."""

    name: str
    inline: bool


_public_files: dict[str, PublicFiles] = {}


def register_public_files(entry: PublicFiles) -> None:
    model = apps.get_model(entry.model)
    for name in entry.fields:
        model._meta.get_field(name)  # a typo fails at start-up, not at the first download
    unknown = set(entry.inline) - set(entry.fields)
    if unknown:
        raise ValueError(f"inline fields {sorted(unknown)} are not among {entry.fields}")
    _public_files[entry.model] = entry


def unregister_public_files(model: str) -> None:
    _public_files.pop(model, None)


def public_file(name: str) -> PublicFile | None:
    """How to serve the stored file ``name`` if a visible row of a registered model points at it.

    One ``EXISTS`` query per registered field until one matches; ``None`` for drafts and for files that
    nothing registered points at.
    """
    for entry in sorted(_public_files.values(), key=lambda e: e.model):
        for field_name in entry.fields:
            if entry.visible().filter(**{field_name: name}).exists():
                return PublicFile(name=name, inline=field_name in entry.inline)
    return None
