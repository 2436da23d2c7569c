"""Translate records instead of files: the per-record core of `zhen file`, for callers that read
and write the records themselves (Ray Data workers).

Two shapes of record, each through the same parser and pipeline as `zhen file`:

- JSON lines: each line is read by the JSONL parser, so `--fields`, the prose guess, bilingual
  siblings and escapes are those of `zhen file`, and each output line is byte for byte the line
  `zhen file` writes for it.
- Table cells (CSV and Parquet columns; `.formats.table`): each chosen column gets a new column of
  translations, a cell left alone copied, as `zhen file` does for CSV.

The caller gives the target: records split among workers must all go the same way, so the
language is decided once for all of them (`json_lines_language`, `cells_language`, or
`translator.files.file_language` for a whole file, as `zhen file` decides it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from .formats import ParseContext
from .formats.jsondata import json_line_items
from .formats.table import cells_language, translate_cells
from .pipeline import FileStats, Item, decide_language, translate_items

if TYPE_CHECKING:
    from ..translator import Translator
    from . import TextErrors

__all__ = ["cells_language", "json_lines_language", "translate_cells", "translate_json_lines"]


def translate_json_lines(
    lines: Sequence[str],
    translator: TextErrors | Translator,
    *,
    target: str,
    fields: Sequence[str] | None = None,
    bilingual: bool = False,
    stats: FileStats | None = None,
    name: str = "<records>",
) -> list[str]:
    """The output line of each JSON line (given without its line ending), as `zhen file` writes it.

    A line that is not JSON raises `MalformedFileError` naming `name` and the line's position
    among `lines`.
    """
    stats = stats if stats is not None else FileStats()
    items = _json_items(lines, fields, name)
    output = "".join(translate_items(items, translator, stats, target=target, bilingual=bilingual))  # type: ignore[arg-type]
    # JSON escapes line breaks inside strings, so every output line ends with the input's "\n".
    return output.split("\n")[:-1]


def json_lines_language(lines: Sequence[str], fields: Sequence[str] | None = None, name: str = "<records>") -> str:
    """The language `zhen file` decides for a JSONL file of these lines (`FileLanguageError` for
    a language zhen does not translate)."""
    return decide_language(_json_items(lines, fields, name), name)


def _json_items(lines: Sequence[str], fields: Sequence[str] | None, name: str) -> Iterator[Item]:
    context = ParseContext(name, tuple(fields) if fields is not None else None)
    return json_line_items((f"{line}\n" for line in lines), context)
