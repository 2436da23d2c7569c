"""Translate whole files (text, Markdown, HTML, subtitles, lyrics, JSON, CSV, Parquet), keeping their format.

    from translator import Translator
    from translator.files import translate_file
    result = translate_file("comments.json", "comments.en.json", Translator(), fields=["title"])
    result.translated, result.cached, result.kept

Everything that is not prose is written back byte for byte; with an engine that returns its input
the output equals the input. Files are read and written a chunk at a time (`iter_translate`), so
memory does not grow with the file, and the output appears only when complete (`atomic`).
"""

from __future__ import annotations

import contextlib
import io
import stat
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, cast

from ..languages import other
from .atomic import atomic_writer
from .encoding import open_text
from .errors import FileError, OutputExistsError, SameFileError, UndecodableFileError
from .formats import EXTENSIONS, FORMATS, MARKED_UTF8_FORMATS, ParseContext, format_for, parser_for, table_format
from .paths import Input, output_path
from .pipeline import FileStats, ProgressCallback, decide_language, translate_items

if TYPE_CHECKING:
    from ..result import Translation
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
    #: Texts the library could not translate (kept as they were), and the first few reasons.
    failed_texts: int = 0
    text_errors: tuple[str, ...] = ()

    @property
    def segments(self) -> int:
        return self.translated + self.cached + self.kept

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "segments": self.segments}


class TextErrors:
    """Stands in for the Translator so that one text that fails does not fail its whole chunk.

    Every `translate_batch` call asks for `errors="return"`: a failed text comes back unchanged
    with its one-line reason, is written as it was, and is counted here for the summary.
    """

    #: Reasons kept for the summary; the count covers all of them.
    KEPT_REASONS = 3

    def __init__(self, translator: Translator) -> None:
        self._translator = translator
        self.failed = 0
        self.reasons: list[str] = []

    def translate_batch(
        self,
        texts: Sequence[str],
        target: str | None = None,
        *,
        notes: bool = True,
        languages: Sequence[str] | None = None,
    ) -> list[Translation]:
        results = self._translator.translate_batch(texts, target, notes=notes, errors="return", languages=languages)
        for result in results:
            reason = result.error
            if reason:
                self.failed += 1
                if len(self.reasons) < self.KEPT_REASONS and reason not in self.reasons:
                    self.reasons.append(reason)
        return results


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
    encoding: str | None = None,
    text_errors: TextErrors | None = None,
    header: bool = True,
) -> Generator[str, None, None]:
    """Yield the translated text of `src` (a path, or a binary stream such as stdin) in pieces.

    `stats` (updated as it goes) tells the language found, the encoding and the counts; `target`
    None means the other language of the one most of the file's prose is in; `encoding` forces
    a codec instead of detecting one; `header=False`: a CSV file's first record is data, not
    column names. A text the library cannot translate is written as it was and counted in
    `text_errors`.
    """
    text_errors = text_errors if text_errors is not None else TextErrors(translator)
    stats = stats if stats is not None else FileStats()
    path = src if isinstance(src, (str, Path)) else None
    label = str(path or "<stdin>")
    table = table_format(path, format)
    if table is not None:
        # A binary table has no text to stream: its parser says how to translate it instead.
        parser_for(table)(io.StringIO(), ParseContext(label))
    decoded = open_text(src, label, encoding=encoding)
    try:
        stats.encoding, stats.bytes_total = decoded.encoding, decoded.size
        stats.format = format_for(path, decoded.sample, format)
        parse = parser_for(stats.format)
        context = ParseContext(label, tuple(fields) if fields is not None else None, header)
        converted = stats.format in MARKED_UTF8_FORMATS and not decoded.encoding.startswith("utf-8")
        bom = "\ufeff" if decoded.bom or converted else ""
        try:
            if path is not None:
                # A file can be read twice: decide its language over all of it first. With the
                # target given too: a Japanese file is refused, where its kanji-only lines would
                # go to the Chinese model.
                language = _file_language(path, label, stats.format, context, encoding, target != "en")
                target = target or other(language)
            for piece in translate_items(
                parse(decoded.stream, context),
                cast("Translator", text_errors),
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
            raise _undecodable(label, decoded.encoding, error, encoding) from None
    finally:
        decoded.stream.close()


def file_language(
    src: str | Path,
    *,
    format: str | None = None,
    fields: Sequence[str] | None = None,
    encoding: str | None = None,
    header: bool = True,
) -> str:
    """The language `translate_file` decides the file `src` is in, from all of its prose.

    Reading the whole file also finds what would stop `translate_file`: a malformed record
    (`MalformedFileError` with its line), `--fields` that match nothing, a language zhen does not
    translate (`FileLanguageError`).
    """
    path = Path(src)
    label = str(path)
    if table_format(path, format) is not None:
        from .formats.parquet import ParquetTable

        return ParquetTable(path, tuple(fields) if fields is not None else None).source_language()
    decoded = open_text(path, label, encoding=encoding)
    decoded.stream.close()
    format_name = format_for(path, decoded.sample, format)
    context = ParseContext(label, tuple(fields) if fields is not None else None, header)
    try:
        return _file_language(path, label, format_name, context, encoding)
    except UnicodeDecodeError as error:
        raise _undecodable(label, decoded.encoding, error, encoding) from None


def _undecodable(label: str, found: str, error: UnicodeDecodeError, forced: str | None) -> UndecodableFileError:
    return UndecodableFileError(label, f"invalid {found} data: {error.reason}", forced=forced is not None)


def _file_language(
    path: str | Path,
    label: str,
    format_name: str,
    context: ParseContext,
    encoding: str | None,
    latin_languages: bool = True,
) -> str:
    decoded = open_text(path, label, encoding=encoding)
    try:
        return decide_language(parser_for(format_name)(decoded.stream, context), label, latin_languages)
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
    encoding: str | None = None,
    header: bool = True,
) -> FileResult:
    """Translate the file `src` into `dst` (None: `<name>.<target><ext>` beside `src`).

    Raises `FileError` subclasses for files that cannot be translated, and refuses to replace the
    input or (unless `force`) an existing output.
    """
    started = time.perf_counter()
    src = Path(src)
    check_input(src)
    if dst is not None:
        _check_output(src, Path(dst), force)
    stats = FileStats()
    text_errors = TextErrors(translator)
    if table_format(src, format) is not None:
        dst = _translate_table(
            src, None if dst is None else Path(dst), text_errors, fields, target, force, stats, on_progress
        )
        return _result(src, dst, stats, text_errors, started)
    pieces = iter_translate(
        src, translator, format=format, fields=fields, bilingual=bilingual, target=target,
        stats=stats, on_progress=on_progress, encoding=encoding, text_errors=text_errors, header=header,
    )  # fmt: skip
    try:
        # The first piece settles the language (and so the default output name) before anything
        # is written; a file that cannot be read fails here without creating an output.
        first = _read(pieces, src)
        if dst is None:
            dst = output_path(Input(src, Path(src.name)), stats.target)
            _check_output(src, dst, force)
        _write(Path(dst), first, pieces, src, force)
    finally:
        pieces.close()
    return _result(src, Path(dst), stats, text_errors, started)


def _result(src: Path, dst: Path, stats: FileStats, text_errors: TextErrors, started: float) -> FileResult:
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
        failed_texts=text_errors.failed,
        text_errors=tuple(text_errors.reasons),
    )


def _translate_table(
    src: Path,
    dst: Path | None,
    text_errors: TextErrors,
    fields: Sequence[str] | None,
    target: str | None,
    force: bool,
    stats: FileStats,
    on_progress: ProgressCallback | None,
) -> Path:
    """Translate a Parquet file; its language is decided from all its rows, like a CSV file's."""
    from .formats.parquet import ParquetTable

    table = ParquetTable(src, tuple(fields) if fields is not None else None)
    stats.format, stats.encoding, stats.bytes_total = "parquet", "binary", src.stat().st_size
    stats.target = target or other(table.source_language())
    stats.source = other(stats.target)
    if dst is None:
        dst = output_path(Input(src, Path(src.name)), stats.target)
        _check_output(src, dst, force)
    with _output(dst, force) as stream:
        table.translate(stream.buffer, text_errors, stats, on_progress)
    return dst


def check_input(src: Path) -> None:
    """Raise FileError unless `src` is a regular file (a pipe or device would block or never end)."""
    try:
        mode = src.stat().st_mode
    except FileNotFoundError:
        raise FileError(src, "no such file") from None
    except OSError as error:
        raise FileError(src, f"cannot read: {error.strerror or error}") from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode) else "a device or socket"
        raise FileError(src, f"not a regular file ({kind}): skipped")


def _read(pieces: Iterator[str], src: Path) -> str | None:
    """The next piece, or None at the end; reading errors name the input."""
    try:
        return next(pieces, None)
    except OSError as error:
        raise FileError(src, f"cannot read: {error.strerror or error}") from None


def _write(dst: Path, first: str | None, pieces: Iterator[str], src: Path, force: bool) -> None:
    """Write the pieces to `dst` atomically; errors name the file that failed (input or output)."""
    with _output(dst, force) as stream:
        piece = first
        while piece is not None:
            stream.write(piece)
            piece = _read(pieces, src)


@contextlib.contextmanager
def _output(dst: Path, force: bool) -> Iterator[TextIO]:
    """An atomic writer for `dst` (its `.buffer` takes bytes); write errors name `dst`."""
    try:
        with atomic_writer(dst, replace=force) as stream:
            yield stream
    except FileExistsError:
        # Another run created it since the check: it won, this one leaves its file alone.
        raise OutputExistsError(dst) from None
    except OSError as error:
        raise FileError(dst, f"cannot write: {error.strerror or error}") from None


def _check_output(src: Path, dst: Path, force: bool) -> None:
    if dst.exists() and src.resolve() == dst.resolve():
        raise SameFileError(dst)
    if dst.exists() and not force:
        raise OutputExistsError(dst)
    if not dst.parent.is_dir():
        try:
            dst.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise FileError(dst.parent, f"cannot create the output folder: {error.strerror or error}") from None


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "FileError",
    "FileResult",
    "FileStats",
    "TextErrors",
    "check_input",
    "file_language",
    "iter_translate",
    "translate_file",
]
