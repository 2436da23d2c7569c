"""One file translated on Ray into a folder of shards, resumably (`zhen file --ray`).

The input is read with Ray Data, translated by the actor pool in input order, and written by the
driver as `part-00000<ext>`, `part-00001<ext>` ... of `SHARD_RECORDS` records each, in the input's
format, into a folder named like the file `zhen file` would write (`posts.en.jsonl/`). Each shard
appears atomically and complete, in order, so after an interruption the finished shards are the
first few: a re-run with the same input and options skips their records and writes the rest.
`_zhen_job.json` in the folder says which input and options the shards belong to; `_SUCCESS`
marks a finished job.
"""

from __future__ import annotations

import csv
import json
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ZhenError, first_line
from ..files import check_input, file_language
from ..files.atomic import atomic_writer
from ..files.errors import FileError, FileLanguageError
from ..files.formats import EXTENSIONS
from ..files.formats.csvdata import header_delimiter
from ..files.paths import Input, output_path
from ..languages import other
from ._cluster import require_ray, zhen_error_in
from ._dataset import LINE_COLUMN, Shape, TranslatorSettings, plan, translate_planned

#: Records per output shard: a lost run costs at most one shard's work.
SHARD_RECORDS = 10_000
MANIFEST = "_zhen_job.json"
DONE = "_SUCCESS"
#: The formats --ray reads, and the shape of their records.
SHAPES: dict[str, Shape] = {"jsonl": "jsonl", "csv": "table", "parquet": "table"}

ShardCallback = Callable[[int, int], None]
#: CPUs a read task asks for: none, since reading is light and the actors may hold every CPU.
READ_CPUS = 0


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
    Ray cluster (None: `<name>.<target><ext>/` beside `src`). `force` starts the folder afresh."""
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
    # Shards are cut from the translated rows in input order, and a resumed run skips by position.
    require_ray().data.DataContext.get_current().execution_options.preserve_order = True
    reader = _Reader.open(src, name)
    job = plan(reader.dataset, shape, fields, target, bilingual, str(src))
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
    if (folder / DONE).exists():
        return result
    dataset = reader.dataset
    if skipped:
        dataset = dataset.split_at_indices([skipped * shard_records])[1]
    translated = translate_planned(dataset, job, settings or TranslatorSettings(), actors, cpus_per_actor)
    index, records = skipped, 0
    try:
        for shard in _shards(translated, shard_records):
            reader.write(shard, folder / f"part-{index:05d}{suffix}")
            index += 1
            records += shard.num_rows
            if on_shard is not None:
                on_shard(index, records)
    except ZhenError:
        raise
    except Exception as error:
        raise zhen_error_in(error) or ZhenError(f"the Ray job for {src} failed: {first_line(error)}") from None
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


def _shards(dataset: Any, shard_records: int) -> Iterator[Any]:
    """The translated rows in input order, as tables of `shard_records` rows (the last: fewer)."""
    import pyarrow as pa

    pending: list[Any] = []
    rows = 0
    for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
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
    """How one format is read into Ray Data and its shards written back."""

    format: str
    dataset: Any
    #: CSV: the delimiter and line ending of the input.
    delimiter: str = ","
    line_ending: str = "\r\n"

    @classmethod
    def open(cls, src: Path, name: str) -> _Reader:
        ray = require_ray()
        if name == "jsonl":
            lines = ray.data.read_binary_files(str(src), num_cpus=READ_CPUS).flat_map(_json_lines, num_cpus=READ_CPUS)
            return cls(name, lines)
        if name == "parquet":
            return cls(name, ray.data.read_parquet(str(src), num_cpus=READ_CPUS))
        return cls._open_csv(ray, src)

    @classmethod
    def _open_csv(cls, ray: Any, src: Path) -> _Reader:
        import pyarrow as pa
        from pyarrow import csv as arrow_csv

        with open(src, encoding="utf-8-sig", newline="") as stream:
            first = stream.readline()
            stream.seek(0)
            delimiter = "\t" if src.suffix.lower() == ".tsv" else header_delimiter(first)
            header = next(csv.reader(stream, delimiter=delimiter), [])
        # Every cell is text, as `zhen file` reads it: no numbers, dates or nulls guessed.
        dataset = ray.data.read_csv(
            str(src),
            num_cpus=READ_CPUS,
            parse_options=arrow_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        return cls("csv", dataset, delimiter, "\r\n" if first.endswith("\r\n") else "\n")

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
                    import pyarrow.parquet as parquet

                    parquet.write_table(table, stream.buffer)
        except OSError as error:
            raise FileError(path, f"cannot write: {error.strerror or error}") from None


def _json_lines(row: dict[str, Any]) -> list[dict[str, str]]:
    """The non-blank lines of a JSONL file, without their line endings, in order."""
    text = bytes(row["bytes"]).decode("utf-8-sig")
    return [{LINE_COLUMN: line.rstrip("\r")} for line in text.split("\n") if line.strip()]


__all__ = ["SHARD_RECORDS", "ShardedResult", "translate_file_on_ray"]
