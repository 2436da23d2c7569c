"""CSV: the translation of a column goes into a new column `<column>_<target>` at the end.

The original bytes of every record are kept (quoting, multi-line fields, line endings): the reader
records the raw lines each record was parsed from, and the new cells are appended to them.

The first line is the header, unless the file has none (`--no-header`: the first record is data
and is translated; new columns get no header and --fields names columns by number, 1 first). The
delimiter is the one of `,` tab `;` `|` that the first line uses most, or the one Excel's hint line
(`sep=;`, kept as it is) names before the header. Without --fields, the
columns translated are those where at least half the non-empty values of the first rows look like
prose (`..prose.looks_like_prose`) and whose name is not a label (`nickname`, `user_id` ...).
Duplicate column names are kept apart by position: every new column has a name of its own
(`评论_en`, `评论_2_en`) and each is filled from its own column. A cell that is left alone (empty,
or in a language zhen cannot translate) is copied into the new column as it is. The translation is
always next to the original, so --bilingual changes nothing here.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, TypeVar

from ..errors import FieldsNotFoundError, MalformedFileError
from ..pipeline import Item
from ..prose import is_label_key, looks_like_prose
from . import ParseContext, split_ending

#: Rows examined to guess the prose columns.
SAMPLE_ROWS = 200
_DELIMITERS = ",\t;|"
#: Excel's hint line (`sep=;`) before the header: it names the delimiter, and is no record.
_EXCEL_SEPARATOR = re.compile(r"sep=(.)")
#: A cell: CSV cells are strings; table formats (Parquet) also have missing ones.
_Cell = TypeVar("_Cell", str, "str | None")


class _Recorder:
    """Hands lines to the csv reader and remembers them, to get each record's raw text."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._taken: list[str] = []

    def __iter__(self) -> _Recorder:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._taken.append(line)
        return line

    def take(self) -> str:
        raw = "".join(self._taken)
        self._taken = []
        return raw


@dataclass
class _Cells:
    """Formats new cells in the file's dialect."""

    delimiter: str

    def format(self, values: Sequence[str]) -> str:
        buffer = io.StringIO()
        # The writer quotes fields with line breaks only if its line terminator has them.
        csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n").writerow(values)
        return buffer.getvalue()[:-2]

    def append(self, raw: str, values: Sequence[str]) -> str:
        record, ending = split_ending(raw)
        return record + self.delimiter + self.format(values) + ending


@dataclass
class Header:
    raw: str
    #: The whole header, and the positions of the columns translated.
    names: list[str]
    chosen: list[int]
    cells: _Cells
    texts: Sequence[str] = ()

    def render(self, translations: Sequence[str | None], target: str, bilingual: bool) -> str:
        return self.cells.append(self.raw, new_column_names(self.names, self.chosen, target))


def new_column_names(names: list[str], chosen: list[int], target: str) -> list[str]:
    """`<column>_<target>` for each chosen column, never equal to another column's name."""
    taken = set(names)
    new: list[str] = []
    for index in chosen:
        name = f"{names[index]}_{target}"
        if name in taken or names.count(names[index]) > 1:
            name = f"{names[index]}_{index + 1}_{target}"
        taken.add(name)
        new.append(name)
    return new


@dataclass
class Row:
    raw: str
    values: list[str]
    cells: _Cells

    @property
    def texts(self) -> Sequence[str]:
        return [value for value in self.values if value]

    def render(self, translations: Sequence[str | None], target: str, bilingual: bool) -> str:
        return self.cells.append(self.raw, translated_cells(self.values, translations))


def translated_cells(values: Sequence[_Cell], translations: Sequence[str | None]) -> list[_Cell]:
    """The new column's cells: each non-empty value's translation (`translations` holds one per
    non-empty value), or the value itself where it was left alone."""
    answers = iter(translations)
    return [(next(answers) or value) if value else value for value in values]


def parse(stream: TextIO, context: ParseContext) -> Iterator[Item]:
    first = stream.readline()
    hint = _EXCEL_SEPARATOR.fullmatch(split_ending(first)[0])
    if hint:
        yield first
        first = stream.readline()
    if not first:
        return
    if hint:
        delimiter = hint.group(1)
    else:
        delimiter = "\t" if Path(context.name).suffix.lower() == ".tsv" else header_delimiter(first)
    # Line numbers in messages count the hint line too.
    skipped = 1 if hint else 0
    recorder = _Recorder(itertools.chain([first], stream))
    reader = csv.reader(recorder, delimiter=delimiter, strict=True)
    cells = _Cells(delimiter)

    def records() -> Iterator[tuple[int, str, list[str]]]:
        while True:
            line = skipped + reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise MalformedFileError(context.name, f"invalid CSV: {error}", skipped + reader.line_num) from None
            yield line, recorder.take(), row

    rows = records()
    header: list[str] | None = None
    if context.header:
        _, header_raw, header = next(rows)
    sample = list(itertools.islice(rows, SAMPLE_ROWS))
    width = len(header) if header is not None else max((len(row) for _, _, row in sample), default=0)
    chosen = chosen_columns(context, header, [row for _, _, row in sample], width)
    if header is not None:
        yield Header(header_raw, header, chosen, cells) if chosen else header_raw
    for line, raw, row in itertools.chain(sample, rows):
        if not row:
            yield raw
            continue
        if len(row) != width:
            what = "the header has" if header is not None else "the first rows have"
            raise MalformedFileError(context.name, f"row has {len(row)} fields but {what} {width}", line)
        yield Row(raw, [row[index] for index in chosen], cells) if chosen else raw


def header_delimiter(header_line: str) -> str:
    """The one of `,` tab `;` `|` that the header line uses most (`,` if none)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def chosen_columns(context: ParseContext, header: list[str] | None, rows: list[list[str]], width: int) -> list[int]:
    """The positions of the columns to translate: those named by --fields, else the prose ones."""
    if context.fields is not None:
        return _named_columns(context, header, width)
    chosen = []
    for index in range(width):
        if header is not None and is_label_key(header[index]):
            continue
        values = [row[index] for row in rows if index < len(row) and row[index].strip()]
        prose = sum(looks_like_prose(value) for value in values)
        if values and prose * 2 >= len(values):
            chosen.append(index)
    return chosen


def _named_columns(context: ParseContext, header: list[str] | None, width: int) -> list[int]:
    """Columns named in --fields: by name (every column of that name), or by number from 1."""
    chosen: list[int] = []
    missing: list[str] = []
    for name in context.fields or ():
        if header is not None and name in header:
            chosen += [index for index, column in enumerate(header) if column == name]
        elif name.isdigit() and 1 <= int(name) <= width:
            chosen.append(int(name) - 1)
        else:
            missing.append(name)
    if missing:
        columns = header if header is not None else [f"1 to {width}"]
        raise FieldsNotFoundError(context.name, missing, columns, "columns")
    return list(dict.fromkeys(chosen))
