"""Parquet: as in CSV, the translation of a column goes into a new column `<column>_<target>` at the end.

Read and written with pyarrow (`pip install "zhen[parquet]"`) a batch of rows at a time, so memory
does not grow with the file. Only top-level string columns are translated: those named by
--fields, else those where at least half the non-empty values of the first rows look like prose
and whose name is not a label (the CSV rule). Every other column, the schema's metadata and the row
order are written back as they were; a missing (null) cell stays missing in the new column too.

Parquet is binary, so it is translated as a table (`ParquetTable`) rather than parsed from a text
stream: its entry in the formats registry only refuses standard input and output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ...errors import UsageError, install_extra
from ..errors import FileError
from ..pipeline import FileStats, Item
from . import ParseContext
from .csvdata import SAMPLE_ROWS, chosen_columns, new_column_names
from .table import cells_language, translate_cells

if TYPE_CHECKING:
    from .. import TextErrors

#: Rows read, translated and written at a time.
BATCH_ROWS = 1024


def parse(stream: Any, context: ParseContext) -> Iterator[Item]:
    """Parquet cannot come through a text stream (standard input, or `-o -`)."""
    raise UsageError(f"{context.name}: Parquet is binary: translate it from a file into a file (-o FILE or --out-dir)")


def require_pyarrow() -> Any:
    """The pyarrow.parquet module, or a one-line error that says how to install it."""
    try:
        import pyarrow.parquet
    except ImportError:
        raise UsageError(f"Parquet files need pyarrow: {install_extra('parquet')}") from None
    return pyarrow.parquet


def string_columns(schema: Any) -> list[str]:
    """The names of the top-level string columns of an Arrow schema: the ones zhen can translate."""
    import pyarrow as pa

    return [item.name for item in schema if pa.types.is_string(item.type) or pa.types.is_large_string(item.type)]


def table_columns(
    name: str, texts: list[str], sample: list[dict[str, Any]], fields: tuple[str, ...] | None
) -> list[str]:
    """The string columns to translate: those of `texts` named by `fields`, else the ones that
    look like prose in the `sample` rows (the CSV rule)."""
    rows = [[row.get(column) or "" for column in texts] for row in sample[:SAMPLE_ROWS]]
    return [texts[index] for index in chosen_columns(ParseContext(name, fields), texts, rows, len(texts))]


def translation_columns(names: list[str], chosen: list[str], target: str) -> list[str]:
    """The names of the new columns for `chosen` among the table's `names`, as CSV names them."""
    return new_column_names(names, [names.index(column) for column in chosen], target)


class ParquetTable:
    """A Parquet file opened for translation, with its columns to translate chosen."""

    def __init__(self, path: str | Path, fields: tuple[str, ...] | None) -> None:
        import pyarrow as pa

        parquet = require_pyarrow()
        self.path = Path(path)
        try:
            self._file = parquet.ParquetFile(self.path)
            self.schema = self._file.schema_arrow
            sample = next(self._file.iter_batches(batch_size=SAMPLE_ROWS), None)
        except (pa.ArrowException, OSError) as error:
            raise FileError(self.path, f"not a readable Parquet file ({error})") from None
        rows = [] if sample is None else sample.to_pylist()
        #: The string columns to translate, in the order their new columns are added.
        self.columns = table_columns(str(self.path), string_columns(self.schema), rows, fields)
        self.rows: int = self._file.metadata.num_rows

    def source_language(self) -> str:
        """The language of all the prose in the chosen columns, as `zhen file` decides a file's."""

        def rows() -> Iterator[list[str | None]]:
            for batch in self._file.iter_batches(batch_size=BATCH_ROWS, columns=self.columns):
                yield from zip(*(batch.column(name).to_pylist() for name in self.columns), strict=True)

        return cells_language(rows(), str(self.path))

    def translate(
        self,
        sink: BinaryIO,
        translator: TextErrors,
        stats: FileStats,
        on_progress: Callable[[FileStats], None] | None = None,
    ) -> None:
        """Write the table with its translation columns to `sink`, into `stats.target`."""
        import pyarrow as pa
        import pyarrow.parquet as parquet

        new = translation_columns(self.schema.names, self.columns, stats.target)
        fields = [*self.schema, *(pa.field(name, pa.string()) for name in new)]
        schema = pa.schema(fields, metadata=self.schema.metadata)
        done = 0
        with parquet.ParquetWriter(sink, schema) as writer:
            for batch in self._file.iter_batches(batch_size=BATCH_ROWS):
                columns = [batch.column(name).to_pylist() for name in self.columns]
                translated = translate_cells(columns, translator, target=stats.target, stats=stats)
                arrays = [*batch.columns, *(pa.array(cells, pa.string()) for cells in translated)]
                writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
                done += batch.num_rows
                if stats.bytes_total:
                    stats.bytes_read = stats.bytes_total * done // max(self.rows, 1)
                if on_progress is not None:
                    on_progress(stats)
