"""The totals of a batch run: what the closing summary line and `--json-summary` report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import FileResult


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

    def line(self) -> str:
        """One line for people: files, segments by fate, failures, time and throughput."""
        files = f"{self.files} file{'s' if self.files != 1 else ''}"
        return (
            f"{files}: {self.total('translated')} segments translated, {self.total('cached')} from cache, "
            f"{self.total('kept')} kept; {len(self.failures)} failed; "
            f"{self.seconds:.1f} s, {self.segments_per_second:.1f} segments/s"
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
            "seconds": round(self.seconds, 3),
            "segments_per_second": round(self.segments_per_second, 2),
            "results": [result.to_dict() for result in self.results],
            "failures": [{"path": failure.path, "error": failure.error} for failure in self.failures],
        }
