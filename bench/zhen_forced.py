"""zhen's engines with every output forced to the benchmark's length, and the `zhen` command
running them; for bench/ only.

    python bench/zhen_forced.py RATIO [zhen arguments ...]

A random-weight model never stops by itself, so `zhen file` (or `zhen translate`) would decode up
to its length cap (2x the input + 10 tokens) where a trained model stops at about 1.1x. The forced
engines decode exactly `forced_length(input tokens, RATIO)` tokens instead, through the engines'
public hooks (`_output_cap`, `_output_floor`, `batches_of_one_length`), and `force_lengths` makes
every engine this process builds one of them (`translator.engines.backends.set_engine_factory`).
Everything else (start-up, model loading, file handling, cache) is the command a user runs.
"""

from __future__ import annotations

import math
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from translator.engines.backends import set_engine_factory

if TYPE_CHECKING:
    from translator.engines import Engine
    from translator.engines.marian_base import MarianEngineBase
    from translator.engines.options import DecodingOptions
    from translator.languages import ModelSpec


def forced_length(input_tokens: int, ratio: float, limit: int = 512) -> int:
    """Output tokens of an input with forced lengths: ceil(ratio x input tokens), at least 1 and
    at most `limit` (the tiny epsilon keeps 1.1 x 10 at 11)."""
    return max(1, min(limit, math.ceil(ratio * input_tokens - 1e-9)))


@cache
def forced_engine_class(base: type[MarianEngineBase], ratio: float) -> type[MarianEngineBase]:
    """`base` (CTranslate2Engine or TransformersEngine) decoding exactly `forced_length` tokens.

    Batches hold inputs of one length, since both backends take one min/max length per batch, so
    each output gets its own length. The cache key names the ratio: forced outputs never mix with
    real ones."""

    class Forced(base):  # type: ignore[valid-type,misc]
        batches_of_one_length = True

        def _output_cap(self, input_tokens: int, options: DecodingOptions) -> int:
            return forced_length(input_tokens, ratio, self.max_positions)

        def _output_floor(self, input_tokens: int, options: DecodingOptions) -> int:
            return self._output_cap(input_tokens, options)

        @property
        def variant(self) -> str:
            return f"{super().variant},forced={ratio:g}"

    Forced.__name__ = Forced.__qualname__ = f"Forced{base.__name__}"
    return Forced


def _engine_class(backend: str) -> type[MarianEngineBase]:
    # Imported only when the first engine is built, as zhen does: start-up stays what it is.
    if backend == "ctranslate2":
        from translator.engines.ctranslate2_engine import CTranslate2Engine

        return CTranslate2Engine
    from translator.engines.transformers_engine import TransformersEngine

    return TransformersEngine


def force_lengths(ratio: float) -> None:
    """Make every engine this process builds from now on force outputs to `ratio` x the input."""
    for backend in ("ctranslate2", "transformers"):

        def build(
            folder: Path, spec: ModelSpec, options: DecodingOptions, revision: str, backend: str = backend
        ) -> Engine:
            return forced_engine_class(_engine_class(backend), ratio)(folder, spec, options, revision=revision)

        set_engine_factory(backend, build)


if __name__ == "__main__":
    from translator.cli.main import entry

    force_lengths(float(sys.argv[1]))
    entry(sys.argv[2:])
