"""Translate whole files (txt, Markdown, SRT, WebVTT, JSON, JSONL, CSV), keeping their format.

    from translator import Translator
    from translator.files import translate_file
    result = translate_file("comments.json", "comments.en.json", Translator(), fields=["title"])
    result.translated, result.cached, result.kept

Everything that is not prose is written back byte for byte; with an engine that returns its input
the output equals the input. Files are read and written a chunk at a time (`iter_translate`), so
memory does not grow with the file, and the output appears only when complete (`atomic`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..languages import other
from .atomic import atomic_writer
from .encoding import open_text
from .errors import FileError, OutputExistsError, SameFileError, UndecodableFileError
from .formats import EXTENSIONS, FORMATS, ParseContext, format_for, parser_for
from .paths import Input, output_path
from .pipeline import FileStats, ProgressCallback, decide_language, translate_items

if TYPE_CHECKING:
    from ..translator import Translator


@dataclass(frozen=True)
class FileResult:
    """What happened to one file."""

    path: str
    output: str
    format: str
    encoding: str
    source: str
    target: str
    #: Prose strings found (lines, cues, cells, JSON values ...).
    texts: int
    translated: int
    cached: int
    kept: int
    seconds: float

    @property
    def segments(self) -> int:
        return self.translated + self.cached + self.kept

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "segments": self.segments}


def iter_translate(
    src: str | Path | BinaryIO,
    translator: Translator,
    *,
    format: str | None = None,
    fields: Sequence[str] | None = None,
    bilingual: bool = False,
    target: str | None = None,
    stats: FileStats | None = None,
    on_progress: ProgressCallback | None = None,
    header: bool = True,
) -> Iterator[str]:
    """Yield the translated text of `src` (a path, or a binary stream such as stdin) in pieces.

    `stats` (updated as it goes) tells the language found, the encoding and the counts; `target`
    None means the other language of the one most of the file's prose is in. `header=False`: a
    CSV file's first record is data, not column names.
    """
    stats = stats if stats is not None else FileStats()
    path = src if isinstance(src, (str, Path)) else None
    label = str(path or "<stdin>")
    decoded = open_text(src, label)
    try:
        stats.encoding, stats.bytes_total = decoded.encoding, decoded.size
        stats.format = format_for(path, decoded.sample, format)
        parse = parser_for(stats.format)
        context = ParseContext(label, tuple(fields) if fields is not None else None, header)
        bom = "\ufeff" if decoded.bom else ""
        try:
            if target is None and path is not None:
                # A file can be read twice: decide its language over all of it first.
                target = other(_file_language(path, label, stats.format, context))
            for piece in translate_items(
                parse(decoded.stream, context),
                translator,
                stats,
                target=target,
                bilingual=bilingual,
                position=lambda: decoded.bytes_read,
                on_progress=on_progress,
                name=label,
            ):
                yield bom + piece
                bom = ""
        except UnicodeDecodeError as error:
            raise UndecodableFileError(label, f"invalid {decoded.encoding} data: {error.reason}") from None
    finally:
        decoded.stream.close()


def _file_language(path: str | Path, label: str, format_name: str, context: ParseContext) -> str:
    decoded = open_text(path, label)
    try:
        return decide_language(parser_for(format_name)(decoded.stream, context), label)
    finally:
        decoded.stream.close()


def translate_file(
    src: str | Path,
    dst: str | Path | None,
    translator: Translator,
    format: str | None = None,
    fields: Sequence[str] | None = None,
    bilingual: bool = False,
    *,
    target: str | None = None,
    force: bool = False,
    on_progress: ProgressCallback | None = None,
    header: bool = True,
) -> FileResult:
    """Translate the file `src` into `dst` (None: `<name>.<target><ext>` beside `src`).

    Raises `FileError` subclasses for files that cannot be translated, and refuses to replace the
    input or (unless `force`) an existing output.
    """
    started = time.perf_counter()
    src = Path(src)
    if not src.is_file():
        raise FileError(src, "no such file")
    if dst is not None:
        _check_output(src, Path(dst), force)
    stats = FileStats()
    pieces = iter_translate(
        src, translator, format=format, fields=fields, bilingual=bilingual, target=target,
        stats=stats, on_progress=on_progress, header=header,
    )  # fmt: skip
    try:
        # The first piece settles the language (and so the default output name) before anything
        # is written; a file that cannot be read fails here without creating an output.
        first = next(pieces, "")
        if dst is None:
            dst = output_path(Input(src, Path(src.name)), stats.target)
            _check_output(src, dst, force)
        with atomic_writer(dst) as stream:
            stream.write(first)
            for piece in pieces:
                stream.write(piece)
    finally:
        pieces.close()
    return FileResult(
        path=str(src),
        output=str(dst),
        format=stats.format,
        encoding=stats.encoding,
        source=stats.source,
        target=stats.target,
        texts=stats.texts,
        translated=stats.translated,
        cached=stats.cached,
        kept=stats.kept,
        seconds=time.perf_counter() - started,
    )


def _check_output(src: Path, dst: Path, force: bool) -> None:
    if dst.exists() and src.resolve() == dst.resolve():
        raise SameFileError(dst)
    if dst.exists() and not force:
        raise OutputExistsError(dst)
    if not dst.parent.is_dir():
        dst.parent.mkdir(parents=True, exist_ok=True)


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "FileError",
    "FileResult",
    "FileStats",
    "iter_translate",
    "translate_file",
]
