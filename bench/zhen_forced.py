"""The `zhen` command with every output forced to the benchmark's length; for `bench/run.py` only.

    python bench/zhen_forced.py RATIO [zhen arguments ...]

A random-weight model never stops by itself, so `zhen file` (or `zhen translate`) would decode up
to its length cap (2x the input + 10 tokens) where a trained model stops at about 1.1x. This runs
zhen's real command line, in a process of its own, with one change: the decoding options the
Translator builds carry `forced_length_ratio=RATIO`. Everything else (start-up, model loading,
file handling, cache) is the command a user runs.
"""

from __future__ import annotations

import dataclasses
import sys

from translator.cli.main import main
from translator.engines.options import DecodingOptions
from translator.translator import Translator


def force_lengths(ratio: float) -> None:
    """Make every Translator built from now on force outputs to `ratio` x the input tokens."""
    plain = Translator.decoding_options

    def forced(self: Translator) -> DecodingOptions:
        return dataclasses.replace(plain(self), forced_length_ratio=ratio)

    Translator.decoding_options = forced  # type: ignore[method-assign]


if __name__ == "__main__":
    force_lengths(float(sys.argv[1]))
    raise SystemExit(main(sys.argv[2:]))
