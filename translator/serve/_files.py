"""`POST /translate_file`: an uploaded file translated with `zhen file`'s formats, kept for download."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from pathlib import Path, PurePath

from starlette.datastructures import UploadFile

from translator.files import translate_file
from translator.files.errors import FileError
from translator.files.formats import EXTENSIONS
from translator.translator import Translator

from ._errors import ApiError
from ._languages import Target


async def translate_upload(upload: UploadFile, target: Target, translator: Translator, folder: Path) -> str:
    """Translate `upload` into `folder`; returns the output's name for `/download_file/<name>`."""
    name = PurePath(upload.filename or "upload").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(sorted(EXTENSIONS))
        raise ApiError(400, f"Invalid request: file type {suffix or '(none)'} is not supported; use one of {known}")
    token = secrets.token_hex(16)
    source = folder / f"{token}.upload{suffix}"
    output = folder / f"{token}{suffix}"
    with source.open("wb") as stream:
        shutil.copyfileobj(upload.file, stream)
    try:
        await asyncio.to_thread(translate_file, source, output, translator, target=target.lang)
    except FileError as error:
        raise ApiError(400, f"Invalid request: {error.message.replace(str(source), name)}") from None
    finally:
        source.unlink(missing_ok=True)
    return output.name
