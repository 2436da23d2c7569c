"""`translate_dataset`: a Ray Data `map_batches` over a pool of actors that each hold one Translator."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import UsageError, ZhenError
from ..files import TextErrors
from ..files.errors import MalformedFileError
from ..files.formats.csvdata import SAMPLE_ROWS
from ..files.formats.parquet import string_columns, table_columns, translation_columns
from ..files.records import cells_language, json_lines_language, translate_cells, translate_json_lines
from ..languages import Script, other
from ..settings import THREADS_ENV
from ._cluster import require_ray

if TYPE_CHECKING:
    from ..engines import Engine
    from ..translator import Translator

#: `jsonl`: a `text` column of JSON lines, each replaced by its `zhen file` output line.
#: `table`: string columns, each chosen one getting a `<column>_<target>` column (CSV, Parquet).
Shape = Literal["jsonl", "table"]
#: The column that holds the lines of a `jsonl` dataset.
LINE_COLUMN = "text"
#: Rows the driver reads to decide the language when no target is given (a file on Ray is decided
#: from all of its rows instead, as `zhen file` does: see `_job`).
DECIDING_ROWS = 2000
#: Rows per `map_batches` call: small enough to spread a dataset over the actors.
BATCH_ROWS = 64
#: The column of the one row an actor returns for a file job instead of records when it cannot
#: translate them (`ZhenError`): its one-line message.
PROBLEM_COLUMN = "_zhen_problem"
#: Reads the records that one input row points to (a shard of a file), as a pyarrow table.
Reading = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class TranslatorSettings:
    """How each actor builds its Translator (sent to the workers, so plain picklable values)."""

    models_dir: str | None = None
    backend: str = "auto"
    beam_size: int | None = None
    cache: bool = True
    rewrite_slang: bool = True
    script: Script = "Hans"
    #: Makes the engine instead of the MarianMT models (tests, custom engines): a picklable callable.
    engine: Callable[[], Engine] | None = None

    def build(self) -> Translator:
        from ..translator import Translator

        return Translator(
            models_dir=self.models_dir,
            backend=self.backend,
            beam_size=self.beam_size,
            engine=self.engine() if self.engine is not None else None,
            cache=self.cache,
            rewrite_slang=self.rewrite_slang,
            script=self.script,
        )


@dataclass(frozen=True)
class Job:
    """What every actor does to its batches (decided once, on the driver)."""

    shape: Shape
    target: str
    #: JSONL: the --fields paths; tables: the columns to translate.
    fields: tuple[str, ...] | None
    bilingual: bool
    name: str
    #: Tables: the names of the translation columns, one for each of `fields`.
    new_columns: tuple[str, ...] = ()


class _TranslateBatches:
    """One Ray actor: builds its Translator once, then translates batch after batch."""

    def __init__(self, settings: TranslatorSettings, job: Job, threads: int, read: Reading | None = None) -> None:
        # Ray sets OMP_NUM_THREADS to the actor's CPUs; CTranslate2 and torch read zhen's setting.
        os.environ[THREADS_ENV] = str(threads)
        self._job = job
        self._read = read
        self._problem: ZhenError | None = None
        try:
            self._translator = settings.build()
            # A worker without the model fails now, once, with the store's one-line message.
            self._translator.load(other(job.target), job.target)
        except ZhenError as error:
            self._problem = error

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        if self._read is None:
            if self._problem is not None:
                raise self._problem
            return self._translate(batch)
        # A file job: the rows say where to read the records. Ray keeps only a traceback of an
        # exception, so zhen's one-line message goes back as data for the driver to raise.
        try:
            if self._problem is not None:
                raise self._problem
            return self._translate(pa.concat_tables([self._read(row) for row in batch.to_pylist()]))
        except ZhenError as error:
            return pa.table({PROBLEM_COLUMN: [str(error)]})

    def _translate(self, batch: Any) -> Any:
        import pyarrow as pa

        text_errors = TextErrors(self._translator)
        job = self._job
        if job.shape == "jsonl":
            lines = [str(line) for line in batch.column(LINE_COLUMN).to_pylist()]
            try:
                out = translate_json_lines(
                    lines, text_errors, target=job.target, fields=job.fields, bilingual=job.bilingual, name=job.name
                )
            except MalformedFileError as error:
                raise ZhenError(f"{job.name}: {error.problem}") from None
            return batch.set_column(batch.schema.get_field_index(LINE_COLUMN), LINE_COLUMN, pa.array(out, pa.string()))
        columns = [batch.column(name).to_pylist() for name in job.fields or ()]
        translated = translate_cells(columns, text_errors, target=job.target)
        for column, cells in zip(job.new_columns, translated, strict=True):
            batch = batch.append_column(column, pa.array(cells, pa.string()))
        return batch


def translate_dataset(
    ds: Any,
    *,
    shape: Shape = "table",
    fields: Sequence[str] | None = None,
    target: str | None = None,
    bilingual: bool = False,
    models_dir: str | Path | None = None,
    settings: TranslatorSettings | None = None,
    actors: int | None = None,
    cpus_per_actor: float = 1,
    name: str = "<dataset>",
) -> Any:
    """A `ray.data.Dataset` with the rows of `ds` translated as `zhen file` translates records.

    `shape="table"`: `fields` are string columns (None: those that look like prose in the first
    rows, as for CSV); each gets a `<column>_<target>` column. `shape="jsonl"`: `ds` has a `text`
    column of JSON lines (`fields`: dotted paths), each replaced by the line `zhen file` writes.
    `target` None decides the language from the first `DECIDING_ROWS` rows. `actors` (default:
    as many as the cluster's CPUs hold, `cpus_per_actor` each) each load the models once and run
    CTranslate2 on max(1, cpus_per_actor) threads; Ray restarts an actor that dies and retries its
    batches. Rows keep their order if the Ray Data context says so
    (`DataContext.get_current().execution_options.preserve_order = True`).
    """
    settings = settings or TranslatorSettings()
    if models_dir is not None:
        settings = TranslatorSettings(**{**settings.__dict__, "models_dir": str(models_dir)})
    return translate_planned(ds, plan(ds, shape, fields, target, bilingual, name), settings, actors, cpus_per_actor)


def translate_planned(
    ds: Any,
    job: Job,
    settings: TranslatorSettings,
    actors: int | None,
    cpus_per_actor: float,
    read: Reading | None = None,
) -> Any:
    """`translate_dataset` once its job is planned; with `read`, each row of `ds` says where to
    read records (`read(row)`), and the actors read them before translating."""
    ray = require_ray()
    if job.shape == "table" and not job.fields and read is None:
        return ds
    if actors is None:
        actors = cluster_actors(cpus_per_actor)
    return ds.map_batches(
        _TranslateBatches,
        fn_constructor_kwargs={
            "settings": settings,
            "job": job,
            "threads": max(1, round(cpus_per_actor)),
            "read": read,
        },
        batch_size=1 if read is not None else BATCH_ROWS,
        batch_format="pyarrow",
        # Ray Data restarts a dead actor and runs its batches again (its default for actor pools):
        # the batches' results are taken once, so nothing is lost or written twice.
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_cpus=cpus_per_actor,
    )


def cluster_actors(cpus_per_actor: float) -> int:
    """As many actors as the cluster's CPUs hold, `cpus_per_actor` each (at least one)."""
    return max(1, int(require_ray().cluster_resources().get("CPU", 1) // cpus_per_actor))


def plan(
    ds: Any, shape: Shape, fields: Sequence[str] | None, target: str | None, bilingual: bool, name: str
) -> Job:
    """What the actors do: the fields (or columns) to translate and the target, from `ds`'s first
    rows where not given."""
    if shape == "table" or target is None:
        sample = ds.take(DECIDING_ROWS if target is None else SAMPLE_ROWS)
        schema = ds.schema()
        arrow = None if schema is None else schema.base_schema
        return plan_from_sample(sample, arrow, shape, fields, target, bilingual, name)
    return plan_from_sample([], None, shape, fields, target, bilingual, name)


def plan_from_sample(
    sample: list[dict[str, Any]],
    schema: Any,
    shape: Shape,
    fields: Sequence[str] | None,
    target: str | None,
    bilingual: bool,
    name: str,
) -> Job:
    """`plan` from the first rows and the (pyarrow) schema of the records."""
    fields = tuple(fields) if fields is not None else None
    if shape == "table":
        names = [] if schema is None else list(schema.names)
        chosen = table_columns(name, [] if schema is None else string_columns(schema), sample, fields)
        if target is None:
            target = other(cells_language(([row.get(column) for column in chosen] for row in sample), name))
        new = translation_columns(names, chosen, target)
        return Job(shape, target, tuple(chosen), bilingual, name, tuple(new))
    if shape != "jsonl":
        raise UsageError(f'shape must be "table" or "jsonl" (got {shape!r})')
    if target is None:
        lines = [str(row[LINE_COLUMN]) for row in sample]
        target = other(json_lines_language(lines, fields, name))
    return Job(shape, target, fields, bilingual, name)
