"""The totals of a batch run: what the closing summary line and `--json-summary` report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import FileResult


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass
class Failure:
    path: str
    error: str


@dataclass
class BatchSummary:
    results: list[FileResult] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def files(self) -> int:
        return len(self.results) + len(self.failures)

    def total(self, what: str) -> int:
        return sum(getattr(result, what) for result in self.results)

    @property
    def segments_per_second(self) -> float:
        return self.total("segments") / self.seconds if self.seconds > 0 else 0.0

    @property
    def text_errors(self) -> list[str]:
        """The first reasons texts could not be translated, each once, across the files."""
        return list(dict.fromkeys(reason for result in self.results for reason in result.text_errors))[:3]

    def line(self) -> str:
        """One line for people: files, segments by fate, failures, time and throughput."""
        failed_texts = self.total("failed_texts")
        not_translated = (
            f"{_count(failed_texts, 'text')} not translated (kept as they were: {'; '.join(self.text_errors)}); "
            if failed_texts
            else ""
        )
        return (
            f"{_count(self.files, 'file')}: {_count(self.total('translated'), 'segment')} translated, "
            f"{self.total('cached')} from cache, {self.total('kept')} kept; {not_translated}"
            f"{len(self.failures)} failed; {self.seconds:.1f} s, {self.segments_per_second:.1f} segments/s"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "succeeded": len(self.results),
            "failed": len(self.failures),
            "segments": self.total("segments"),
            "translated": self.total("translated"),
            "cached": self.total("cached"),
            "kept": self.total("kept"),
            "failed_texts": self.total("failed_texts"),
            "text_errors": self.text_errors,
            "seconds": round(self.seconds, 3),
            "segments_per_second": round(self.segments_per_second, 2),
            "results": [result.to_dict() for result in self.results],
            "failures": [{"path": failure.path, "error": failure.error} for failure in self.failures],
        }
