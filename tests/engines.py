"""Small engines for tests: they stand in for MarianMT where the model's output does not matter."""

from __future__ import annotations

import threading

from translator.engines.options import DecodingOptions


class IdentityEngine:
    """Returns its input: with it, a translation must give back the original text exactly."""

    backend = "identity"

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], str, str]] = []

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        self.calls.append((list(segments), source, target))
        return list(segments)

    @property
    def sentences_seen(self) -> list[str]:
        return [sentence for call in self.calls for sentence in call[0]]


class TaggingEngine(IdentityEngine):
    """Wraps each sentence as `target(sentence)` so tests see exactly what went to the model."""

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        super().translate(segments, source, target)
        return [f"{target}({segment})" for segment in segments]


class CachingTaggingEngine(TaggingEngine):
    """A TaggingEngine that declares itself cacheable, to exercise the SQLite cache."""

    def translate(
        self, segments: list[str], source: str, target: str, options: DecodingOptions | None = None
    ) -> list[str]:
        return super().translate(segments, source, target)

    def cache_key(self, source: str, target: str, options: DecodingOptions | None = None) -> str:
        return f"tagging/{source}-{target}"


class BracketEngine(IdentityEngine):
    """Wraps each sentence in ⟦ ⟧: after a zh->en run every Chinese character must be inside
    brackets (nothing left out), and structure (timings, tags, URLs ...) must never be inside."""

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        super().translate(segments, source, target)
        return [f"⟦{segment}⟧" for segment in segments]


class GatedEngine(TaggingEngine):
    """A model that takes as long as the test wants: it answers once `gate` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        assert self.gate.wait(30), "the test never opened the gate"
        return super().translate(segments, source, target)
