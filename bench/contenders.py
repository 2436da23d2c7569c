"""The ways of running OPUS-MT that zhen is compared with, and zhen itself, behind one interface.

Every contender decodes exactly `forced_length(source tokens)` target tokens for every sentence it
is given: random weights never stop by themselves, so the length is forced (min = max) and the
race is token for token. Batched contenders put only sentences of one source length (hence one
forced length) in a batch, because both backends take a single min/max length per batch; zhen's
engines do the same when forced (`bench.zhen_forced.forced_engine_class`). A real model stops each
sentence at its own end, so real batches would be larger: this understates every batched
contender (zhen included), never overstates it.

A contender is loaded once (not timed), then runs workloads; `Measurement.tokens` is what the
contender itself decoded, counted from its outputs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.model import BenchModel
from bench.zhen_forced import forced_engine_class, forced_length
from translator.engines.options import DecodingOptions

if TYPE_CHECKING:
    from translator.engines.marian_base import MarianEngineBase

#: Output length = ceil(RATIO x source tokens), the issue's "about 1.1x the source tokens".
RATIO = 1.1
#: zhen's default beam, and so the beam of the raw CTranslate2 contenders.
ZHEN_BEAM = 4
#: Padded source tokens per batch for the batched transformers contenders (zhen's own default).
BATCH_TOKENS = 2048


@dataclass(frozen=True)
class Workload:
    """Text to translate. zhen gets `lines` as they are (its own segmenter cuts them); everyone
    else gets `units`, the lines cut into sentences the way Argos Translate does before
    `translate_batch`."""

    name: str
    lines: tuple[str, ...]
    units: tuple[str, ...]


@dataclass(frozen=True)
class Measurement:
    seconds: float
    #: Target tokens decoded (None when the contender cannot tell, e.g. a `zhen file` subprocess).
    tokens: int | None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


class Contender(ABC):
    name: str
    description: str

    @abstractmethod
    def load(self, model: BenchModel) -> None:
        """Load the model (not timed)."""

    @abstractmethod
    def run(self, workload: Workload) -> Measurement:
        """Translate the workload once, timed."""


# -- transformers ----------------------------------------------------------------------------


class _Transformers(Contender):
    def load(self, model: BenchModel) -> None:
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        from translator.engines.transformers_engine import quiet_transformers

        with quiet_transformers():
            self.tokenizer = MarianTokenizer.from_pretrained(model.hf_dir)
            self.model = MarianMTModel.from_pretrained(model.hf_dir).eval()
        self.torch = torch

    def _generate(self, inputs: dict[str, Any], length: int) -> int:
        """Decode exactly `length` tokens for each row with the model's own generation settings
        (beam 6 for opus-mt-zh-en); the decoded texts, as a user would get them."""
        from translator.engines.transformers_engine import quiet_transformers

        with self.torch.inference_mode(), quiet_transformers():
            output = self.model.generate(**inputs, min_new_tokens=length, max_new_tokens=length)
        self.tokenizer.batch_decode(output, skip_special_tokens=True)
        return (output.shape[1] - 1) * output.shape[0]  # without the decoder start token


class NaiveTransformers(_Transformers):
    name = "naive-transformers"
    description = "transformers fp32, one sentence per generate(), model default beam 6"

    def run(self, workload: Workload) -> Measurement:
        tokens = 0
        started = time.perf_counter()
        for sentence in workload.units:
            inputs = self.tokenizer(sentence, return_tensors="pt")
            tokens += self._generate(inputs, forced_length(inputs.input_ids.shape[1], RATIO))
        return Measurement(time.perf_counter() - started, tokens)


class BatchedTransformers(_Transformers):
    description = "transformers, length-sorted batches (<= 2048 source tokens), model default beam 6"

    def __init__(self, quantize: bool) -> None:
        self.quantize = quantize
        self.name = "transformers-batched-int8" if quantize else "transformers-batched-fp32"
        if quantize:
            self.description += ", torch dynamic int8"

    def load(self, model: BenchModel) -> None:
        super().load(model)
        if self.quantize:
            from translator.engines.transformers_engine import quiet_transformers

            with quiet_transformers():
                self.model = self.torch.ao.quantization.quantize_dynamic(
                    self.model, {self.torch.nn.Linear}, dtype=self.torch.qint8
                )

    def run(self, workload: Workload) -> Measurement:
        tokens = 0
        started = time.perf_counter()
        lengths = [len(ids) for ids in self.tokenizer(list(workload.units)).input_ids]
        for batch in same_length_batches(lengths, BATCH_TOKENS):
            inputs = self.tokenizer([workload.units[i] for i in batch], return_tensors="pt", padding=True)
            tokens += self._generate(inputs, forced_length(lengths[batch[0]], RATIO))
        return Measurement(time.perf_counter() - started, tokens)


# -- CTranslate2 -----------------------------------------------------------------------------


class _CTranslate2(Contender):
    def load(self, model: BenchModel) -> None:
        import ctranslate2
        import sentencepiece

        # As Argos Translate builds it: CTranslate2's own thread defaults.
        self.translator = ctranslate2.Translator(str(model.ct2_dir), device="cpu", compute_type="int8")
        self.source = sentencepiece.SentencePieceProcessor(model_file=str(model.ct2_dir / "source.spm"))
        self.target = sentencepiece.SentencePieceProcessor(model_file=str(model.ct2_dir / "target.spm"))

    def _translate(
        self, batch: list[list[str]], outputs: dict[int, list[str]] | None = None, indices: list[int] | None = None
    ) -> int:
        length = forced_length(len(batch[0]), RATIO)
        results = self.translator.translate_batch(
            batch, beam_size=ZHEN_BEAM, min_decoding_length=length, max_decoding_length=length
        )
        for result in results:
            self.target.decode(result.hypotheses[0])
        if outputs is not None and indices is not None:
            outputs.update(zip(indices, (result.hypotheses[0] for result in results), strict=True))
        return sum(len(result.hypotheses[0]) for result in results)

    def _pieces(self, sentence: str) -> list[str]:
        return [*self.source.encode(sentence, out_type=str), "</s>"]


class CTranslate2Loop(_CTranslate2):
    name = "ctranslate2-loop"
    description = "raw CTranslate2 int8, one translate_batch() per sentence, beam 4 (as Argos/LibreTranslate)"

    def run(self, workload: Workload) -> Measurement:
        tokens = 0
        started = time.perf_counter()
        for sentence in workload.units:
            tokens += self._translate([self._pieces(sentence)])
        return Measurement(time.perf_counter() - started, tokens)


class CTranslate2Batched(_CTranslate2):
    name = "ctranslate2-batched"
    description = "raw CTranslate2 int8, de-duplicated length-sorted batches, beam 4 (hand-tuned script)"

    def run(self, workload: Workload) -> Measurement:
        tokens = 0
        started = time.perf_counter()
        unique = list(dict.fromkeys(workload.units))
        pieces = [self._pieces(sentence) for sentence in unique]
        outputs: dict[int, list[str]] = {}
        for batch in same_length_batches([len(p) for p in pieces], BATCH_TOKENS):
            tokens += self._translate([pieces[i] for i in batch], outputs, batch)
        return Measurement(time.perf_counter() - started, tokens, {"outputs": outputs_digest(outputs)})


class CTranslate2Parallel(_CTranslate2):
    """The batched script with CTranslate2's own parallelism: one worker thread per core, each on
    a batch of its own, every batch queued at once (`asynchronous=True`); optionally each batch
    split further by CTranslate2 into sub-batches of at most `max_batch_tokens` tokens."""

    def __init__(self, name: str, max_batch_tokens: int = 0) -> None:
        self.name, self.max_batch_tokens = name, max_batch_tokens
        self.description = "raw CTranslate2 int8, inter_threads=2 intra_threads=1, asynchronous batches, beam 4"
        if max_batch_tokens:
            self.description += f", batch_type=tokens max_batch_size={max_batch_tokens}"

    def load(self, model: BenchModel) -> None:
        super().load(model)
        import ctranslate2

        self.translator = ctranslate2.Translator(
            str(model.ct2_dir), device="cpu", compute_type="int8", inter_threads=2, intra_threads=1
        )

    def run(self, workload: Workload) -> Measurement:
        started = time.perf_counter()
        unique = list(dict.fromkeys(workload.units))
        pieces = [self._pieces(sentence) for sentence in unique]
        pending = []
        for batch in same_length_batches([len(p) for p in pieces], BATCH_TOKENS):
            length = forced_length(len(pieces[batch[0]]), RATIO)
            pending.append(
                self.translator.translate_batch(
                    [pieces[i] for i in batch],
                    beam_size=ZHEN_BEAM,
                    min_decoding_length=length,
                    max_decoding_length=length,
                    max_batch_size=self.max_batch_tokens,
                    batch_type="tokens",
                    return_scores=False,
                    asynchronous=True,
                )
            )
        hypotheses = [r.result().hypotheses[0] for results in pending for r in results]
        for hypothesis in hypotheses:
            self.target.decode(hypothesis)
        seconds = time.perf_counter() - started
        order = [i for batch in same_length_batches([len(p) for p in pieces], BATCH_TOKENS) for i in batch]
        outputs = dict(zip(order, hypotheses, strict=True))
        return Measurement(seconds, sum(map(len, hypotheses)), {"outputs": outputs_digest(outputs)})


# -- zhen ------------------------------------------------------------------------------------


class ZhenLibrary(Contender):
    """`Translator.translate_batch` on the whole workload, CTranslate2 int8 (or transformers with
    int8 dynamic quantization, zhen's path when CTranslate2 is missing).

    The engine is built with forced lengths (a subclass through the engines' hooks) and handed to
    the Translator (`engine=`, public API),
    so the Translator runs its full pipeline: detection, segmentation, slang rewriting, glossary
    notes, cache and de-duplication. The cache starts empty for every run: a fresh cache file.
    """

    def __init__(self, beam_size: int, backend: str = "ctranslate2") -> None:
        self.beam_size, self.backend = beam_size, backend
        self.name = "zhen-library" + (f"-beam{beam_size}" if beam_size != ZHEN_BEAM else "")
        if backend != "ctranslate2":
            self.name += f"-{backend}"
        weights = "CTranslate2 int8" if backend == "ctranslate2" else "transformers int8 dynamic"
        self.description = f"Translator.translate_batch, {weights}, beam {beam_size}, fresh cache"

    def load(self, model: BenchModel) -> None:
        from translator.languages import MODELS

        options = DecodingOptions(beam_size=self.beam_size)
        spec = MODELS[("zh", "en")]
        if self.backend == "ctranslate2":
            from translator.engines.ctranslate2_engine import CTranslate2Engine

            forced = forced_engine_class(CTranslate2Engine, RATIO)
            self.engine: MarianEngineBase = forced(model.ct2_dir, spec, options, revision="bench")
        else:
            from translator.engines.transformers_engine import TransformersEngine

            forced = forced_engine_class(TransformersEngine, RATIO)
            self.engine = forced(model.hf_dir, spec, options, revision="bench")
        self._scratch = Path(tempfile.mkdtemp(prefix="zhen-bench-cache-"))
        self._runs = 0

    def run(self, workload: Workload) -> Measurement:
        from translator import Translator
        from translator.cache import TranslationCache

        self._runs += 1
        cache = TranslationCache(self._scratch / f"run{self._runs}.sqlite3")
        translator = Translator(engine=self.engine, cache=cache, decoding=self.engine.options)
        sent: list[str] = []
        decoded: list[str] = []
        translate = self.engine.translate

        def recording(
            segments: list[str], source: str, target: str, options: DecodingOptions | None = None
        ) -> list[str]:
            sent.extend(segments)
            outputs = translate(segments, source, target, options)
            decoded.extend(outputs)
            return outputs

        self.engine.translate = recording  # type: ignore[method-assign]
        try:
            started = time.perf_counter()
            results = translator.translate_batch(list(workload.lines))
            seconds = time.perf_counter() - started
        finally:
            del self.engine.translate
            cache.close()
        counts = {status: sum(r.counts[status] for r in results) for status in ("translated", "cached", "kept")}
        tokens = sum(forced_length(self.engine.count_tokens(s, "zh", "en"), RATIO) for s in sent if s.strip())
        extra = {"segments": counts, "model_inputs": len(sent), "text_outputs": text_digest(sent, decoded)}
        return Measurement(seconds, tokens, extra)


# -- shared ----------------------------------------------------------------------------------


def outputs_digest(outputs: dict[int, list[str]]) -> str:
    """One short fingerprint of every output token, in input order: equal digests mean outputs
    identical token for token."""
    text = "\n".join(" ".join(outputs[i]) for i in sorted(outputs))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def text_digest(inputs: Sequence[str], outputs: Sequence[str]) -> str:
    """One short fingerprint of every (input, output) pair, whatever order they were sent in."""
    text = "\n".join(sorted(f"{source}\t{output}" for source, output in zip(inputs, outputs, strict=True)))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def same_length_batches(lengths: Sequence[int], max_tokens: int) -> Iterator[list[int]]:
    """Indices grouped by length, shortest first, each batch at most `max_tokens` tokens."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batch: list[int] = []
    for index in order:
        if batch and (lengths[index] != lengths[batch[0]] or lengths[index] * (len(batch) + 1) > max_tokens):
            yield batch
            batch = []
        batch.append(index)
    if batch:
        yield batch


def in_process_contenders() -> dict[str, Contender]:
    """Every contender that runs inside a worker process, by name."""
    contenders: list[Contender] = [
        NaiveTransformers(),
        BatchedTransformers(quantize=False),
        BatchedTransformers(quantize=True),
        CTranslate2Loop(),
        CTranslate2Batched(),
        CTranslate2Parallel("ctranslate2-inter2"),
        CTranslate2Parallel("ctranslate2-tuned", max_batch_tokens=512),
        ZhenLibrary(ZHEN_BEAM),
        ZhenLibrary(1),
        ZhenLibrary(ZHEN_BEAM, "transformers"),
    ]
    return {contender.name: contender for contender in contenders}
