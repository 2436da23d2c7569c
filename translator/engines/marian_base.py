"""What the two MarianMT engines share: direction checks, batching, length caps, cache keys.

Each backend supplies only how to encode a sentence, run one batch, and decode an output; the
order of operations around those (and so the behaviour users see) is defined once, here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from ..errors import ModelBrokenError, ModelNotFoundError
from ..languages import SCRIPTS, ModelSpec, UnsupportedLanguageError
from ..modelfolder import TOKENIZER_CONFIG
from .marian_tokenizer import read_json_object
from .options import DecodingOptions
from .repetition import output_token_cap, trim_repetition

#: A token of the backend's own kind: an id (transformers) or a piece string (CTranslate2).
Token = TypeVar("Token", int, str)

#: Language codes OPUS-MT writes in tokenizer_config.json, as zhen's codes.
_OPUS_LANGUAGES = {"zho": "zh", "cmn": "zh", "zh": "zh", "eng": "en", "en": "en"}


class MarianEngineBase(ABC, Generic[Token]):
    """One OPUS-MT model (one direction) behind the `TokenCountingEngine` and `CacheableEngine`
    protocols."""

    backend: ClassVar[str]
    #: Batch only inputs of one token length together (see `_output_floor`).
    batches_of_one_length: ClassVar[bool] = False

    def __init__(self, model_dir: Path, spec: ModelSpec, options: DecodingOptions, revision: str) -> None:
        self.model_dir = Path(model_dir)
        self.spec = spec
        #: The options used when a call gives none. Never changed after construction: a caller
        #: with other settings passes its own snapshot to `translate` and `cache_key` together.
        self.options = options
        self.revision = revision
        #: Encoder positions of the model; subclasses set it from the model's configuration.
        self.max_positions = 512
        if not self.model_dir.is_dir():
            raise ModelNotFoundError(spec.name, self.model_dir)
        self._check_languages()

    def translate(
        self, segments: list[str], source: str, target: str, options: DecodingOptions | None = None
    ) -> list[str]:
        """Translate sentences with `options` (the engine's own by default); outputs are in input
        order, one per input."""
        self._check_direction(source, target)
        options = options or self.options
        outputs = [""] * len(segments)
        todo = [i for i, segment in enumerate(segments) if segment.strip()]
        inputs = {i: self._truncate(self._encode(segments[i], options)) for i in todo}
        lengths = [len(inputs[i]) for i in todo]
        most = max(1, options.max_batch_rows // options.beam_size)
        uniform = self.batches_of_one_length
        batches = list(_batches(todo, lengths, options.max_batch_tokens, max_items=most, uniform=uniform))
        caps = {i: self._output_cap(len(inputs[i]), options) for i in todo}
        floors = {i: self._output_floor(len(inputs[i]), options) for i in todo}
        jobs = [
            # One cap per batch keeps the backends simple; each output still gets its own.
            BatchJob([inputs[i] for i in batch], max(caps[i] for i in batch), max(floors[i] for i in batch))
            for batch in batches
        ]
        for batch, generated in zip(batches, self._generate_all(jobs, options), strict=True):
            for i, tokens in zip(batch, generated, strict=True):
                outputs[i] = trim_repetition(self._decode(tokens[: caps[i]]), segments[i])
        return outputs

    def _output_cap(self, input_tokens: int, options: DecodingOptions) -> int:
        """Most tokens to generate for an input."""
        return output_token_cap(input_tokens, options.max_length_ratio, self.max_positions)

    def _output_floor(self, input_tokens: int, options: DecodingOptions) -> int:
        """Fewest tokens to generate for an input: 0, so a translation ends where the model ends
        it. A benchmark with random weights (which never stop) forces a length by overriding this
        and `_output_cap`, and sets `batches_of_one_length` so each input gets its own length."""
        return 0

    def count_tokens(self, text: str, source: str, target: str) -> int:
        """Source-side tokens of `text`, including the target-language token and `</s>`."""
        self._check_direction(source, target)
        return len(self._encode(text, self.options))

    def cache_key(self, source: str, target: str, options: DecodingOptions | None = None) -> str:
        """Names everything an output of `translate(..., options)` depends on: model, revision,
        backend, options."""
        self._check_direction(source, target)
        options = options or self.options
        return f"{self.spec.name}@{self.revision}|{self.backend}:{self.variant}|{options.key()}"

    @property
    @abstractmethod
    def variant(self) -> str:
        """How the weights are stored or computed (quantization): outputs differ between them."""

    @abstractmethod
    def _encode(self, text: str, options: DecodingOptions) -> list[Token]:
        """Model input for one sentence, with the target token (if any) and `</s>`."""

    @abstractmethod
    def _generate_all(self, jobs: list[BatchJob[Token]], options: DecodingOptions) -> Iterator[list[list[Token]]]:
        """Output tokens for each input of each batch, batches in order, without the decoder's
        start token; the end token is not allowed before a job's `min_new_tokens` (0 except in
        benchmarks). A backend may decode several batches at once."""

    @abstractmethod
    def _decode(self, tokens: list[Token]) -> str:
        """Text of output tokens; special tokens are dropped."""

    def target_token(self, options: DecodingOptions) -> str | None:
        return self.spec.target_token(options.script)

    def _check_target_tokens(self, vocabulary: Callable[[], Container[str]]) -> None:
        """A model that needs `>>cmn_Hans<<` but does not know it would silently translate badly.
        `vocabulary` is called only for such a model."""
        if not self.spec.needs_target_token:
            return
        vocab = vocabulary()
        for script in SCRIPTS:
            token = self.spec.target_token(script)
            if token not in vocab:
                raise ModelBrokenError(
                    self.model_dir, f"its vocabulary has no {token} token, so it is not {self.spec.name}"
                )

    def _check_direction(self, source: str, target: str) -> None:
        if (source, target) != (self.spec.source, self.spec.target):
            raise UnsupportedLanguageError(source, target, f"this engine runs {self.spec.name} only")

    def _check_languages(self) -> None:
        """Catch a zh-en folder imported as en-zh (and the reverse) from the languages the
        tokenizer configuration names, when it names them."""
        config = read_json_object(self.model_dir / TOKENIZER_CONFIG, self.model_dir, missing_ok=True)
        found = tuple(_OPUS_LANGUAGES.get(str(config.get(key))) for key in ("source_lang", "target_lang"))
        if None not in found and found != (self.spec.source, self.spec.target):
            raise ModelBrokenError(self.model_dir, f"it translates {found[0]} to {found[1]}, not {self.spec.pair}")

    def _truncate(self, tokens: list[Token]) -> list[Token]:
        """Keep an over-long input within the model's positions (the Translator splits long
        sentences first, so this is a safety net): cut before the final `</s>`."""
        if len(tokens) <= self.max_positions:
            return tokens
        return tokens[: self.max_positions - 1] + tokens[-1:]


@dataclass(frozen=True)
class BatchJob(Generic[Token]):
    """One batch for the backend: its inputs and the bounds on their output lengths."""

    inputs: list[list[Token]]
    max_new_tokens: int
    #: 0 except in benchmarks (forced lengths).
    min_new_tokens: int


def _batches(
    items: list[int], lengths: list[int], max_tokens: int, *, max_items: int | None = None, uniform: bool = False
) -> Iterator[list[int]]:
    """Group items of similar length so that a padded batch holds at most `max_tokens` tokens
    (a single longer item gets a batch of its own) and at most `max_items` items; `uniform`
    batches hold one length only."""
    order = sorted(range(len(items)), key=lengths.__getitem__)
    batch: list[int] = []
    longest = 0
    for position in order:
        length = lengths[position]
        full = max(longest, length) * (len(batch) + 1) > max_tokens or len(batch) == max_items
        if batch and (full or (uniform and length != longest)):
            yield batch
            batch, longest = [], 0
        batch.append(items[position])
        longest = max(longest, length)
    if batch:
        yield batch
