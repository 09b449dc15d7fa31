"""Uploads kept for a short while, so that a correction does not mean sending the file again.

After an upload is refused — errors to fix, or warnings that need a reason — its files stay in a
private folder under a random token, bound to the user who sent them, for :data:`KEEP_SECONDS`:
the page then offers the annotated workbook (each finding as a cell comment) and, for warnings, a
form to give the reasons and submit the same files. Nothing here decides anything: the import is the
library's, run again in full on confirmation.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

KEEP_SECONDS = 3600
TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass
class Kept:
    token: str
    folder: Path
    username: str
    unit: str
    files: list[Path]


class UploadStash:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="planmon-uploads-"))
        self.root.mkdir(parents=True, exist_ok=True)

    def new_folder(self) -> tuple[str, Path]:
        self.sweep()
        token = secrets.token_urlsafe(18)
        folder = self.root / token
        folder.mkdir(mode=0o700)
        return token, folder

    def keep(self, token: str, username: str, unit: str, files: list[Path]) -> None:
        (self.root / token / "meta.json").write_text(json.dumps(
            {"username": username, "unit": unit, "files": [p.name for p in files], "at": time.time()}))

    def get(self, token: str, username: str) -> Kept | None:
        """The kept upload, only for the user who sent it and only while it is fresh."""
        if not token or not set(token) <= TOKEN_CHARS or len(token) > 64:
            return None
        meta_path = self.root / token / "meta.json"
        if not meta_path.is_file():
            return None
        meta = json.loads(meta_path.read_text())
        if meta["username"] != username or time.time() - meta["at"] > KEEP_SECONDS:
            return None
        folder = self.root / token
        return Kept(token, folder, username, meta["unit"], [folder / n for n in meta["files"]])

    def drop(self, token: str) -> None:
        if token and set(token) <= TOKEN_CHARS:
            shutil.rmtree(self.root / token, ignore_errors=True)

    def sweep(self) -> None:
        now = time.time()
        for d in self.root.iterdir():
            if d.is_dir() and now - d.stat().st_mtime > KEEP_SECONDS:
                shutil.rmtree(d, ignore_errors=True)
