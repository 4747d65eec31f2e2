"""Several uploaded files read at once (a register, a ledger and its tables): saved under a private temporary
folder for the length of one request, then removed."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from fastapi import UploadFile

from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.web.jobs import save_upload


class MissingUpload(ValueError):
    """A required file was not chosen; ``field`` names the form field."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def chosen(upload: UploadFile | None) -> bool:
    return upload is not None and bool(upload.filename)


@dataclass(frozen=True)
class SavedUploads:
    paths: dict[str, Path]  # by form field
    names: dict[Path, str]  # the name each file had on the uploader's machine

    def describe(self, error: InputError, lang: str) -> str:
        """A message about a saved file, naming the file as the uploader knows it (not the server path)."""
        return error.describe(lang, self.by_path())

    def unmasked(self, problem: InputProblem) -> InputProblem:
        """The problem naming its file as the uploader knows it."""
        return replace(problem, path=self.by_path().get(problem.path, problem.path))

    def by_path(self) -> dict[str, str]:
        return {str(path): name for path, name in self.names.items()}


@asynccontextmanager
async def saved_uploads(
    uploads: Mapping[str, UploadFile | None], required: tuple[str, ...], folder: Path, limit_bytes: int
) -> AsyncIterator[SavedUploads]:
    """The chosen uploads saved to disk; raises MissingUpload or UploadTooLarge."""
    for field in required:
        if not chosen(uploads.get(field)):
            raise MissingUpload(field)
    folder.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(dir=folder))
    try:
        paths: dict[str, Path] = {}
        names: dict[Path, str] = {}
        for field, upload in uploads.items():
            if upload is not None and chosen(upload):
                paths[field] = await save_upload(upload, private, limit_bytes)
                names[paths[field]] = upload.filename or field
        yield SavedUploads(paths, names)
    finally:
        shutil.rmtree(private, ignore_errors=True)
