"""Table cells (Parquet columns, Ray Data tables): each chosen column gets a new column holding its
translations, named as CSV names them (`csvdata.new_column_names`: `<column>_<target>`); a cell
left alone (empty, missing, or in a language zhen cannot translate) is copied, as CSV does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..pipeline import FileStats, decide_language, translate_items
from .csvdata import translated_cells

if TYPE_CHECKING:
    from ...translator import Translator
    from .. import TextErrors

Column = Sequence[str | None]


@dataclass
class _Row:
    """One row's cells in the chosen columns; rendering keeps the new cells instead of text."""

    values: list[str | None]
    translated: list[str | None] = field(default_factory=list)

    @property
    def texts(self) -> Sequence[str]:
        return [value for value in self.values if value]

    def render(self, translations: Sequence[str | None], target: str, bilingual: bool) -> str:
        self.translated = translated_cells(self.values, translations)
        return ""


def translate_cells(
    columns: Sequence[Column], translator: TextErrors | Translator, *, target: str, stats: FileStats | None = None
) -> list[list[str | None]]:
    """The translation column of each of `columns` (all the same length), in the same order."""
    stats = stats if stats is not None else FileStats()
    rows = _rows(columns)
    for _ in translate_items(rows, translator, stats, target=target):  # type: ignore[arg-type]
        pass
    return [[row.translated[index] for row in rows] for index in range(len(columns))]


def cells_language(rows: Iterable[Sequence[str | None]], name: str) -> str:
    """The language `zhen file` decides for a table with these rows (cells of the chosen columns);
    raises `FileLanguageError` for a language zhen does not translate."""
    return decide_language((_Row(list(values)) for values in rows), name)


def _rows(columns: Sequence[Column]) -> list[_Row]:
    return [_Row(list(values)) for values in zip(*columns, strict=True)]
