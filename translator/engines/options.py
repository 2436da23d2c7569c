"""Decoding settings shared by the MarianMT engines, and the CPU thread budget they run with."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from ..languages import SCRIPTS, Script


@dataclass(frozen=True)
class DecodingOptions:
    """How an engine searches for a translation. Frozen so a cache key can never go stale."""

    beam_size: int = 4
    #: Output script of en->zh: `Hans` selects `>>cmn_Hans<<`, `Hant` selects `>>cmn_Hant<<`.
    script: Script = "Hans"
    #: Output token cap = ceil(ratio * input tokens) + 10, at most the model's position limit.
    max_length_ratio: float = 2.0
    #: Padded input tokens per internal batch: bounds memory. Outputs do not depend on it (up to
    #: float rounding in padded batches, which did not change any output in the tests).
    max_batch_tokens: int = 1024
    #: Decoder rows per internal batch (sentences x beam size): bounds memory where the token
    #: budget does not. Every row holds a score per vocabulary piece (65,001), so short sentences
    #: (2048 tokens / 8) made batches of 1000+ rows: ~0.9 GB with CTranslate2, 2.7 GB with
    #: transformers. Measured on 2 cores, beam 4 gains nothing past ~32-64 sentences a batch, and
    #: outputs that run long (120 FLORES lines decoding to the length cap) peaked at 1.13 GB with
    #: 256 rows / 2048 tokens against 0.66 GB with 128 / 1024, which was no slower (41 s vs 51 s);
    #: that was one worker: two workers, each decoding a batch of its own, peaked at 1.05 GB.
    max_batch_rows: int = 128
    #: A person waits for each text (the app, `zhen translate`), rather than for a whole batch
    #: (files, servers): CTranslate2 then runs each batch on more threads and fewer batches side
    #: by side (`ctranslate2_engine.thread_split`). Outputs do not depend on it (checked token
    #: for token on FLORES with both layouts). Read when an engine is built.
    interactive: bool = False

    def __post_init__(self) -> None:
        # Options come from config files and command lines, so bad values are user mistakes.
        if not isinstance(self.beam_size, int) or not 1 <= self.beam_size <= 32:
            raise UsageError(f"beam size must be a whole number from 1 to 32, not {self.beam_size!r}")
        if self.script not in SCRIPTS:
            raise UsageError(f"script must be one of {', '.join(SCRIPTS)}, not {self.script!r}")
        if not 0.5 <= self.max_length_ratio <= 10:
            raise UsageError(f"max length ratio must be between 0.5 and 10, not {self.max_length_ratio!r}")
        if not isinstance(self.max_batch_tokens, int) or self.max_batch_tokens < 1:
            raise UsageError(f"max batch tokens must be a positive whole number, not {self.max_batch_tokens!r}")
        if not isinstance(self.max_batch_rows, int) or self.max_batch_rows < 1:
            raise UsageError(f"max batch rows must be a positive whole number, not {self.max_batch_rows!r}")

    def key(self) -> str:
        """Every field that can change an output, for translation cache keys.

        `max_batch_tokens`, `max_batch_rows` and `interactive` are left out on purpose: batching
        and threads change speed, not results. `script` is in for both directions, so that one
        key format serves every engine.
        """
        return f"beam={self.beam_size},script={self.script},ratio={self.max_length_ratio:g}"
