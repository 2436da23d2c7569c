"""`zhen file`: translate files and folders of files, keeping their format.

One bad file (binary, malformed, existing output) is reported on one line and skipped; the others
still run and the exit status is 1. Problems that would fail every file (no model installed) stop
the batch at once. The summary goes to stderr, or as JSON to stdout with --json-summary.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from translator.cli.common import (
    add_engine_options,
    add_target_option,
    print_json,
    print_notice,
    translator_from_args,
)
from translator.files.atomic import signals_remove_temp_files
from translator.files.formats import FORMATS

if TYPE_CHECKING:
    from translator.files import FileResult
    from translator.files.paths import Input
    from translator.files.pipeline import FileStats
    from translator.files.summary import BatchSummary, Failure
    from translator.translator import Translator

# The format names come from the formats registry: light to import (it loads parsers lazily).
FORMAT_CHOICES = ("auto", *FORMATS)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "file",
        help="translate files: txt, Markdown, HTML, SRT/VTT/ASS subtitles, LRC lyrics, JSON/JSONL, CSV",
        description="Translate files and folders, keeping everything that is not prose byte for byte. "
        "Output goes next to each input as NAME.<target>.EXT unless -o or --out-dir.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (searched recursively) or - for stdin")
    add_target_option(parser)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUT", help="output file for a single input (- for stdout)")
    where.add_argument("--out-dir", metavar="DIR", help="write outputs here, under their input names")
    parser.add_argument("--format", choices=FORMAT_CHOICES, default="auto", help="input format (default: auto)")
    parser.add_argument(
        "--fields",
        metavar="A,B.C",
        help="JSON: dotted paths to translate (lists are transparent: comments.text); CSV: column names or numbers",
    )
    parser.add_argument("--encoding", metavar="NAME", help="input encoding, such as gbk or big5 (default: detected)")
    parser.add_argument("--no-header", action="store_true", help="CSV: the first row is data, not column names")
    parser.add_argument("--bilingual", action="store_true", help="keep the original next to each translation")
    parser.add_argument("--glob", metavar="PATTERN", help="file names to take from folders (default: known types)")
    parser.add_argument("--force", action="store_true", help="replace existing output files")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument("--progress", action="store_true", help="show progress even when stderr is not a terminal")
    parser.add_argument("--json-summary", action="store_true", help="print a JSON summary to stdout at the end")
    # --ray: see translator/cli/file_ray.py.
    parser.add_argument(
        "--ray",
        nargs="?",
        const="auto",
        metavar="auto|ADDRESS",
        help="JSONL, CSV, Parquet: translate on a Ray cluster into a resumable folder of shards "
        '(pip install -e ".[ray]" in zhen\'s folder; auto: the running cluster, else one on this machine)',
    )
    add_engine_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from translator.engines.allocator import keep_freed_memory
    from translator.errors import UsageError
    from translator.files.errors import FileError
    from translator.files.paths import find_inputs
    from translator.files.summary import BatchSummary, Failure

    # This process decodes one batch and exits: memory it keeps costs nothing for long.
    keep_freed_memory()
    fields = _fields(args.fields)
    if args.encoding is not None:
        from translator.files.encoding import check_encoding

        check_encoding(args.encoding)
    if "-" in args.paths:
        if len(args.paths) > 1:
            raise UsageError("- (standard input) cannot be mixed with other paths")
        return _run_stdin(args, fields)
    if args.output == "-" and args.json_summary:
        raise UsageError("--json-summary and -o - both want standard output: choose one")
    if args.output and (len(args.paths) != 1 or Path(args.paths[0]).is_dir()):
        raise UsageError("-o names one output file: give a single input file, or use --out-dir")
    out_dir = Path(args.out_dir) if args.out_dir else None
    summary = BatchSummary()
    inputs: list[Input] = []
    for given in args.paths:
        try:
            inputs += find_inputs(given, args.glob, skip=out_dir)
        except FileError as error:
            _report_failure(summary, Failure(str(given), str(error)))
    if not inputs:
        if summary.failures:
            _finish(args, summary)
            return 1
        raise UsageError("no files to translate: folders are searched for known file types, or use --glob")
    inputs = _distinct(inputs)
    if out_dir is not None:
        _refuse_collisions(inputs, out_dir)
    if args.ray is not None:
        from translator.cli.file_ray import run_on_ray

        return run_on_ray(args, fields, inputs, out_dir)
    if args.output == "-":
        from translator.files import check_input

        check_input(inputs[0].path)
        return _stream_to_stdout(args, fields, inputs[0].path)
    translator = translator_from_args(args, interactive=False, status_to_stderr=not args.quiet)
    started = time.perf_counter()
    with signals_remove_temp_files(), _Progress(args) as progress:
        for item in inputs:
            result = _translate_one(args, fields, translator, item, out_dir, progress, summary)
            if result is not None:
                summary.results.append(result)
    summary.seconds = time.perf_counter() - started
    _finish(args, summary)
    # A text left untranslated is a failure too, though the rest of its file was written.
    return 1 if summary.failures or summary.total("failed_texts") else 0


def _distinct(inputs: list[Input]) -> list[Input]:
    """Each file once, however many times (or through however many folders) it was named."""
    seen: set[Path] = set()
    kept = []
    for item in inputs:
        key = item.path.resolve()
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _refuse_collisions(inputs: list[Input], out_dir: Path) -> None:
    """Two inputs with the same relative name (`d1/a.txt d2/a.txt`) would write the same output:
    refuse before anything is translated rather than let one overwrite the other."""
    from translator.errors import UsageError

    taken: dict[Path, Path] = {}
    for item in inputs:
        earlier = taken.setdefault(item.relative, item.path)
        if earlier != item.path:
            raise UsageError(
                f"{earlier} and {item.path} would both be written to {out_dir / item.relative}: "
                "translate them in separate runs, or into separate --out-dir folders"
            )


def _fields(spec: str | None) -> list[str] | None:
    if spec is None:
        return None
    from translator.errors import UsageError

    fields = [field.strip() for field in spec.split(",") if field.strip()]
    if not fields:
        raise UsageError("--fields needs at least one name, such as --fields title,comments.text")
    return fields


def _translate_one(
    args: argparse.Namespace,
    fields: list[str] | None,
    translator: Translator,
    item: Input,
    out_dir: Path | None,
    progress: _Progress,
    summary: BatchSummary,
) -> FileResult | None:
    from translator.files import translate_file
    from translator.files.errors import FileError
    from translator.files.summary import Failure

    if args.output:
        destination: Path | None = Path(args.output)
    elif out_dir is not None:
        destination = out_dir / item.relative
    else:
        destination = None
    task = progress.start(item.relative)
    try:
        result = translate_file(
            item.path,
            destination,
            translator,
            format=args.format,
            fields=fields,
            bilingual=args.bilingual,
            target=args.target,
            force=args.force,
            header=not args.no_header,
            on_progress=lambda stats: progress.update(task, stats),
            encoding=args.encoding,
        )
    except FileError as error:
        progress.fail(task, item.relative)
        _report_failure(summary, Failure(str(item.path), str(error)))
        return None
    except OSError as error:
        progress.fail(task, item.relative)
        _report_failure(summary, Failure(str(item.path), f"{item.path}: {error.strerror or error}"))
        return None
    progress.finish(task, result)
    return result


def _report_failure(summary: BatchSummary, failure: Failure) -> None:
    summary.failures.append(failure)
    print_notice(failure.error)


def _finish(args: argparse.Namespace, summary: BatchSummary) -> None:
    if args.json_summary:
        print_json(summary.to_dict())
    elif not args.quiet:
        print_notice(summary.line())


def _run_stdin(args: argparse.Namespace, fields: list[str] | None) -> int:
    from translator.errors import UsageError

    if args.output and args.output != "-":
        return _stdin_to_file(args, fields, Path(args.output))
    if args.json_summary:
        raise UsageError("--json-summary needs standard output, which stdin mode writes to: add -o FILE")
    return _stream_to_stdout(args, fields, sys.stdin.buffer)


def _stream_to_stdout(args: argparse.Namespace, fields: list[str] | None, source: Path | BinaryIO) -> int:
    """Translate one file or stdin to stdout as it goes (no summary: stdout holds the text)."""
    from translator.files import TextErrors, iter_translate

    translator = translator_from_args(args, interactive=False, status_to_stderr=not args.quiet)
    text_errors = TextErrors(translator)
    output = sys.stdout.buffer
    for piece in iter_translate(
        source,
        translator,
        format=None if args.format == "auto" else args.format,
        fields=fields,
        bilingual=args.bilingual,
        target=args.target,
        encoding=args.encoding,
        text_errors=text_errors,
        header=not args.no_header,
    ):
        output.write(piece.encode("utf-8"))
        output.flush()
    if text_errors.failed:
        print_notice(f"{text_errors.failed} texts not translated (kept as they were: {'; '.join(text_errors.reasons)})")
        return 1
    return 0


def _stdin_to_file(args: argparse.Namespace, fields: list[str] | None, destination: Path) -> int:
    from translator.files import FileResult, TextErrors, iter_translate
    from translator.files.atomic import atomic_writer
    from translator.files.errors import FileError, OutputExistsError
    from translator.files.pipeline import FileStats
    from translator.files.summary import BatchSummary

    if destination.exists() and not args.force:
        raise OutputExistsError(destination)
    translator = translator_from_args(args, interactive=False, status_to_stderr=not args.quiet)
    stats = FileStats()
    text_errors = TextErrors(translator)
    started = time.perf_counter()
    try:
        with signals_remove_temp_files(), atomic_writer(destination, replace=args.force) as output:
            for piece in iter_translate(
                sys.stdin.buffer,
                translator,
                format=None if args.format == "auto" else args.format,
                fields=fields,
                bilingual=args.bilingual,
                target=args.target,
                stats=stats,
                encoding=args.encoding,
                text_errors=text_errors,
                header=not args.no_header,
            ):
                output.write(piece)
    except FileExistsError:
        raise OutputExistsError(destination) from None
    except OSError as error:
        raise FileError(destination, f"cannot write: {error.strerror or error}") from None
    seconds = time.perf_counter() - started
    result = FileResult(
        "<stdin>", str(destination), stats.format, stats.encoding, stats.source, stats.target,
        stats.texts, stats.translated, stats.cached, stats.kept, seconds,
        text_errors.failed, tuple(text_errors.reasons),
    )  # fmt: skip
    _finish(args, BatchSummary([result], [], seconds))
    return 1 if text_errors.failed else 0


class _Progress:
    """One rich progress line per file on a terminal's stderr; nothing otherwise."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.enabled = not args.quiet and (args.progress or sys.stderr.isatty())
        self._progress: Any = None
        self._started: dict[int, float] = {}
        self._totals: dict[int, int | None] = {}

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[segments]} segments"),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True, force_terminal=sys.stderr.isatty() or None),
                transient=False,
            )
            self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def start(self, name: Path) -> int | None:
        if self._progress is None:
            return None
        task: int = self._progress.add_task(_shown(name), total=None, segments=0, rate="")
        self._started[task] = time.perf_counter()
        return task

    def update(self, task: int | None, stats: FileStats) -> None:
        if self._progress is None or task is None:
            return
        elapsed = time.perf_counter() - self._started[task]
        rate = f"{stats.segments / elapsed:.1f}/s" if elapsed > 0 else ""
        self._totals[task] = stats.bytes_total
        self._progress.update(
            task, completed=stats.bytes_read, total=stats.bytes_total, segments=stats.segments, rate=rate
        )

    def finish(self, task: int | None, result: FileResult) -> None:
        if self._progress is None or task is None:
            return
        total = self._totals.get(task) or 1
        rate = f"{result.segments / result.seconds:.1f}/s" if result.seconds > 0 else ""
        self._progress.update(task, completed=total, total=total, segments=result.segments, rate=rate)

    def fail(self, task: int | None, name: Path) -> None:
        if self._progress is not None and task is not None:
            self._progress.update(task, description=f"[red]failed[/red] {_shown(name)}")


def _shown(path: Path) -> str:
    """A path for the progress display: control characters inert, Rich markup (`[/x]`) literal."""
    from rich.markup import escape

    from translator.terminal import visible

    return escape(visible(str(path), keep_newlines=False))
