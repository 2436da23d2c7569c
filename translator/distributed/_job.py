"""One file translated on Ray into a folder of shards, resumably (`zhen file --ray`).

The driver reads the file once with `zhen file`'s parser (the language, and what `zhen file`
would refuse) and once more to find where each shard of `SHARD_RECORDS` records starts (a byte
offset; a row for Parquet). The actors of the pool each take a shard at a time, read its records
themselves (no read tasks: on a small cluster they would wait for CPUs the actors hold, and each
would start one more worker process) and translate them; the driver writes the translated rows, in
input order, as `part-00000<ext>`, `part-00001<ext>` ... in the input's format, into a folder named
like the file `zhen file` would write (`posts.en.jsonl/`). Each shard appears atomically and
complete, in order, so after an interruption the finished shards are the first few: a re-run with
the same input and options reads only the shards still to do. `_zhen_job.json` in the folder says
which input and options the shards belong to; `_SUCCESS` marks a finished job.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import shutil
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import ZhenError
from ..files import check_input, file_language
from ..files.atomic import atomic_writer
from ..files.errors import FileError, FileLanguageError
from ..files.formats import EXTENSIONS
from ..files.formats.csvdata import SAMPLE_ROWS, header_delimiter
from ..files.formats.parquet import require_pyarrow
from ..files.paths import Input, output_path
from ..languages import other
from ._cluster import last_line, require_ray
from ._dataset import (
    LINE_COLUMN,
    PROBLEM_COLUMN,
    Shape,
    TranslatorSettings,
    cluster_actors,
    plan_from_sample,
    translate_planned,
)

#: Records per output shard, and per piece of work an actor takes: an interrupted run loses at
#: most one shard per actor (a few minutes on one core), and a file of fewer records uses one actor.
SHARD_RECORDS = 1000
MANIFEST = "_zhen_job.json"
DONE = "_SUCCESS"
#: The formats --ray reads, and the shape of their records.
SHAPES: dict[str, Shape] = {"jsonl": "jsonl", "csv": "table", "parquet": "table"}

ShardCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class ShardedResult:
    """What happened to one file translated on Ray."""

    path: str
    output: str
    format: str
    target: str
    #: Records written by this run, and shards written and skipped (finished by an earlier run).
    records: int
    shards: int
    skipped_shards: int
    seconds: float


def translate_file_on_ray(
    src: str | Path,
    dst: str | Path | None,
    *,
    format: str | None = None,
    fields: Sequence[str] | None = None,
    target: str | None = None,
    bilingual: bool = False,
    settings: TranslatorSettings | None = None,
    actors: int | None = None,
    cpus_per_actor: float = 1,
    shard_records: int = SHARD_RECORDS,
    force: bool = False,
    on_shard: ShardCallback | None = None,
) -> ShardedResult:
    """Translate the JSONL, CSV or Parquet file `src` into the shard folder `dst` on the connected
    Ray cluster (None: `<name>.<target><ext>/` beside `src`). A folder of this same job is resumed;
    `force` replaces the folder of another job (another input or other options)."""
    started = time.perf_counter()
    src = Path(src)
    check_input(src)
    name = format if format and format != "auto" else EXTENSIONS.get(src.suffix.lower(), "")
    if name not in SHAPES:
        raise FileError(src, f"--ray reads JSONL, CSV and Parquet, not {name or 'this format'}: leave out --ray")
    shape = SHAPES[name]
    # As `zhen file` does: the language from all of the file, and a malformed record or --fields
    # that match nothing refused before any work is sent out.
    try:
        language = file_language(src, format=name, fields=fields)
    except FileLanguageError:
        if target is None:
            raise
    target = target or other(language)
    # Shards are written from the translated rows in input order.
    require_ray().data.DataContext.get_current().execution_options.preserve_order = True
    reader = _Reader.open(src, name)
    starts = reader.shard_starts(shard_records)
    sample = reader.sample(starts)
    job = plan_from_sample(sample.to_pylist(), sample.schema, shape, fields, target, bilingual, str(src))
    folder = Path(dst) if dst is not None else output_path(Input(src, Path(src.name)), target)
    manifest = {
        "input": str(src.resolve()),
        "size": src.stat().st_size,
        "modified_ns": src.stat().st_mtime_ns,
        "format": name,
        "fields": list(job.fields) if job.fields is not None else None,
        "target": target,
        "bilingual": bilingual,
        "shard_records": shard_records,
    }
    _prepare(folder, manifest, force)
    suffix = src.suffix or f".{name}"
    skipped = _finished_shards(folder, suffix)
    result = ShardedResult(str(src), str(folder), name, target, 0, 0, skipped, 0.0)
    if (folder / DONE).exists() or skipped >= len(starts):
        (folder / DONE).touch()
        return result
    todo = starts[skipped:]
    if actors is None:
        actors = cluster_actors(cpus_per_actor)
    # An actor takes a shard at a time: more actors than shards would only load the models.
    actors = min(actors, len(todo))
    translated = translate_planned(
        reader.shards(todo), job, settings or TranslatorSettings(), actors, cpus_per_actor, reader.read
    )
    index, records = skipped, 0
    shards = _shards(translated, shard_records)
    try:
        for shard in shards:
            reader.write(shard, folder / f"part-{index:05d}{suffix}")
            index += 1
            records += shard.num_rows
            if on_shard is not None:
                on_shard(index, records)
    except ZhenError:
        raise
    except Exception as error:
        raise ZhenError(f"the Ray job for {src} failed: {last_line(error)}") from None
    finally:
        # Interrupted too (Ctrl-C): stop the execution now, so that its actors free their CPUs.
        shards.close()
    (folder / DONE).touch()
    return ShardedResult(
        str(src), str(folder), name, target, records, index - skipped, skipped, time.perf_counter() - started
    )


def _prepare(folder: Path, manifest: dict[str, Any], force: bool) -> None:
    """Make `folder` ready for this job: new, resumed (same manifest) or, with `force`, emptied."""
    written = folder / MANIFEST
    if folder.exists() and not folder.is_dir():
        raise FileError(folder, "exists and is not a folder of shards: move it, or choose another output")
    if folder.is_dir() and any(folder.iterdir()):
        same = written.exists() and json.loads(written.read_text(encoding="utf-8")) == manifest
        if not same and not force:
            raise FileError(
                folder,
                "holds the output of another input or other options: add --force to start it again, "
                "or choose another output",
            )
        if not same:
            shutil.rmtree(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_writer(written) as stream:
            json.dump(manifest, stream, ensure_ascii=False, indent=2)
    except OSError as error:
        raise FileError(folder, f"cannot write: {error.strerror or error}") from None


def _finished_shards(folder: Path, suffix: str) -> int:
    """How many shards, from the first, an earlier run finished."""
    count = 0
    while (folder / f"part-{count:05d}{suffix}").exists():
        count += 1
    return count


def _shards(dataset: Any, shard_records: int) -> Generator[Any, None, None]:
    """The translated rows in input order, as tables of `shard_records` rows (the last: fewer)."""
    import pyarrow as pa

    pending: list[Any] = []
    rows = 0
    for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
        if PROBLEM_COLUMN in batch.column_names:
            raise ZhenError(batch.column(PROBLEM_COLUMN)[0].as_py())
        pending.append(batch)
        rows += batch.num_rows
        while rows >= shard_records:
            table = pa.concat_tables(pending, promote_options="permissive")
            yield table.slice(0, shard_records)
            pending, rows = [table.slice(shard_records)], rows - shard_records
    if rows:
        yield pa.concat_tables(pending, promote_options="permissive")


@dataclass
class _Reader:
    """How one format is cut into shards, read into Ray Data and written back."""

    format: str
    path: Path
    #: CSV: the header, its delimiter and line ending.
    header: list[str] = field(default_factory=list)
    delimiter: str = ","
    line_ending: str = "\r\n"
    #: Where the records start (after a byte order mark, and a CSV file's header).
    first: int = 0

    @classmethod
    def open(cls, src: Path, name: str) -> _Reader:
        reader = cls(name, src)
        if name == "parquet":
            return reader
        with open(src, "rb") as stream:
            start = stream.read(len(codecs.BOM_UTF8))
            reader.first = len(start) if start == codecs.BOM_UTF8 else 0
            stream.seek(reader.first)
            if name == "csv":
                first = stream.readline()
                reader.first += len(first)
                line = first.decode("utf-8")
                reader.delimiter = "\t" if src.suffix.lower() == ".tsv" else header_delimiter(line)
                reader.line_ending = "\r\n" if line.endswith("\r\n") else "\n"
                reader.header = next(csv.reader([line], delimiter=reader.delimiter), [])
        return reader

    def shard_starts(self, shard_records: int) -> list[int]:
        """Where each shard of `shard_records` records starts: a byte offset (a row for Parquet)."""
        if self.format == "parquet":
            rows: int = require_pyarrow().ParquetFile(self.path).metadata.num_rows
            return list(range(0, rows, shard_records)) or [0]
        size = self.path.stat().st_size
        starts = [self.first]
        with open(self.path, "rb") as stream:
            stream.seek(self.first)
            for count, end in enumerate(self._records(stream), 1):
                if count % shard_records == 0 and end < size:
                    starts.append(end)
        return starts

    def _records(self, stream: BinaryIO) -> Iterator[int]:
        """The byte offset after each record (a JSON line; a CSV record, quoted line breaks and all)."""
        position = stream.tell()
        if self.format == "jsonl":
            for line in stream:
                position += len(line)
                yield position
            return
        lengths: list[int] = []

        def lines() -> Iterator[str]:
            for line in stream:
                lengths.append(len(line))
                yield line.decode("utf-8")

        for row in csv.reader(lines(), delimiter=self.delimiter):
            position += sum(lengths)
            lengths.clear()
            # Blank lines are no records (zhen file copies them; the shards leave them out).
            if row:
                yield position

    def shards(self, starts: list[int]) -> Any:
        """A dataset of one row for each shard that starts at `starts`: where to read its records."""
        ray = require_ray()
        ends: list[int | None] = [*starts[1:], None]
        rows = [{"start": start, "end": end} for start, end in zip(starts, ends, strict=True)]
        return ray.data.from_items(rows, override_num_blocks=max(len(rows), 1))

    def read(self, shard: dict[str, Any]) -> Any:
        """The records of one shard (a row of `shards`) as a pyarrow table."""
        import pyarrow as pa

        start, end = shard["start"], shard["end"]
        if self.format == "parquet":
            return _parquet_rows(self.path, start, end)
        with open(self.path, "rb") as stream:
            stream.seek(start)
            data = stream.read(-1 if end is None else end - start).decode("utf-8")
        if self.format == "jsonl":
            # Each line without its "\n" (a "\r" stays, so CRLF lines are written back as CRLF).
            lines = data.split("\n")
            if lines[-1] == "":
                lines.pop()
            return pa.table({LINE_COLUMN: pa.array(lines, pa.string())})
        rows = [row for row in csv.reader(io.StringIO(data, newline=""), delimiter=self.delimiter) if row]
        columns = [pa.array(list(cells), pa.string()) for cells in zip(*rows, strict=True)] if rows else []
        if not rows:
            columns = [pa.array([], pa.string()) for _ in self.header]
        return pa.Table.from_arrays(columns, names=self.header)

    def sample(self, starts: list[int]) -> Any:
        """The first rows of the file (for the columns to translate), as a pyarrow table."""
        return self.read({"start": starts[0], "end": starts[1] if len(starts) > 1 else None}).slice(0, SAMPLE_ROWS)

    def write(self, table: Any, path: Path) -> None:
        """Write one shard atomically (a crash leaves no partial part file)."""
        try:
            with atomic_writer(path) as stream:
                if self.format == "jsonl":
                    stream.writelines(f"{line}\n" for line in table.column(LINE_COLUMN).to_pylist())
                elif self.format == "csv":
                    writer = csv.writer(stream, delimiter=self.delimiter, lineterminator=self.line_ending)
                    writer.writerow(table.column_names)
                    writer.writerows(zip(*(column.to_pylist() for column in table.columns), strict=True))
                else:
                    require_pyarrow().write_table(table, stream.buffer)
        except OSError as error:
            raise FileError(path, f"cannot write: {error.strerror or error}") from None


def _parquet_rows(path: Path, start: int, end: int | None) -> Any:
    """Rows `start` to `end` of a Parquet file, reading only the row groups they are in."""
    parquet = require_pyarrow().ParquetFile(path)
    groups: list[int] = []
    first = position = 0
    for index in range(parquet.metadata.num_row_groups):
        rows = parquet.metadata.row_group(index).num_rows
        if position + rows > start and (end is None or position < end):
            first = position if not groups else first
            groups.append(index)
        position += rows
    table = parquet.read_row_groups(groups) if groups else parquet.schema_arrow.empty_table()
    return table.slice(start - first, None if end is None else end - start)
