"""Photos sent in pieces by the offline app. The pieces received so far wait in a file of
their own under MEDIA_ROOT/partial/, named by the visit and the photo's client id: a piece
sent again (its answer was lost) is not appended twice, and an interrupted upload resumes
where the server's copy ends. The whole photo then goes through the record form's photo
field (size, pixels, re-encoding) and outreach.services.visit_photo_add."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

CHUNK_MAX = 512 * 1024  # a piece a weak phone signal carries in a few seconds
PARTIAL_DIR = "partial"


@dataclass(frozen=True)
class PartialPhoto:
    visit_id: int
    client_uuid: uuid.UUID

    @property
    def path(self) -> Path:
        return Path(settings.MEDIA_ROOT) / PARTIAL_DIR / f"visit{self.visit_id}-{self.client_uuid}.part"

    def received(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def append(self, offset: int, data: bytes) -> int:
        """Adds the piece when it starts where the copy ends; a piece received already (or one
        past a gap) is left out, and the answer tells the phone where to go on. Returns the
        bytes received."""
        have = self.received()
        if offset != have:
            return have
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as part:
            part.write(data)
        return have + len(data)

    def as_upload(self, name: str) -> SimpleUploadedFile:
        return SimpleUploadedFile(name or "photo.jpg", self.path.read_bytes())

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
