"""The closing line of a batch run counts in good English."""

from __future__ import annotations

from translator.files.summary import BatchSummary


def test_one_of_a_kind_is_singular() -> None:
    line = BatchSummary().line()
    assert line.startswith("0 files: 0 segments translated")
    summary = BatchSummary()
    summary.total = lambda what: 1  # type: ignore[method-assign]
    summary.results = [object()]  # type: ignore[list-item]
    assert summary.line().startswith("1 file: 1 segment translated, 1 from cache")
