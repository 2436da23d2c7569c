"""MarianMT through CTranslate2: the fast backend (int8 on CPU).

Needs only a converted folder (see `convert.py`) and the `ctranslate2` and `sentencepiece`
packages: tokenization is done by `MarianSentencePieceTokenizer`, so torch and transformers are
never imported and the first translation starts in well under a second.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import BackendUnavailableError, ModelBrokenError
from ..languages import ModelSpec
from ..modelfolder import read_conversion_info
from ..settings import thread_count
from .convert import CTRANSLATE2_MISSING
from .marian_base import BatchJob, MarianEngineBase
from .marian_tokenizer import MarianSentencePieceTokenizer
from .options import DecodingOptions


class CTranslate2Engine(MarianEngineBase[str]):
    """A converted OPUS-MT model run by `ctranslate2.Translator` on the CPU."""

    backend = "ctranslate2"

    def __init__(
        self,
        model_dir: Path,
        spec: ModelSpec,
        options: DecodingOptions = DecodingOptions(),  # noqa: B008 (frozen, so sharing is safe)
        *,
        revision: str = "unknown",
    ) -> None:
        super().__init__(model_dir, spec, options, revision)
        info = read_conversion_info(self.model_dir)
        if info is None or not (self.model_dir / "model.bin").is_file():
            raise ModelBrokenError(
                self.model_dir, f"it is not a finished CTranslate2 conversion of {spec.name}; convert it again"
            )
        self.quantization = str(info.get("quantization", "int8"))
        self.max_positions = int(info.get("max_position_embeddings", 512))
        self.tokenizer = MarianSentencePieceTokenizer(self.model_dir)
        self._check_target_tokens(self.tokenizer.vocab)
        try:
            import ctranslate2
        except ImportError:
            raise BackendUnavailableError(CTRANSLATE2_MISSING) from None
        self._threads = thread_count()
        self._ctranslate2 = ctranslate2
        try:
            # One sentence or one batch at a time (a chat post): all threads on that batch.
            self._translator = self._load(inter_threads=1, intra_threads=self._threads)
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelBrokenError(self.model_dir, f"CTranslate2 cannot load it: {exc}") from None
        #: Loaded on the first call with several batches (a file): one batch per thread, all at
        #: once. A 512-wide model keeps one thread far busier than it keeps two on one batch.
        self._parallel_translator: Any = None
        self._parallel_loading = threading.Lock()

    def _load(self, *, inter_threads: int, intra_threads: int) -> Any:
        return self._ctranslate2.Translator(
            str(self.model_dir),
            device="cpu",
            compute_type=self.quantization,
            intra_threads=intra_threads,
            inter_threads=inter_threads,
        )

    @property
    def variant(self) -> str:
        return self.quantization

    def _encode(self, text: str, options: DecodingOptions) -> list[str]:
        return self.tokenizer.encode_pieces(text, self.target_token(options))

    def _generate_all(self, jobs: list[BatchJob[str]], options: DecodingOptions) -> Iterable[list[list[str]]]:
        if len(jobs) < 2 or self._threads < 2:
            return super()._generate_all(jobs, options)
        with self._parallel_loading:
            if self._parallel_translator is None:
                self._parallel_translator = self._load(inter_threads=self._threads, intra_threads=1)
        # Every batch is queued at once; CTranslate2 runs one per worker thread as they free up.
        # Batches are exactly the ones the sequential path makes, so outputs cannot differ.
        pending = [
            self._run(self._parallel_translator, job.inputs, job.max_new_tokens, job.min_new_tokens, options, True)
            for job in jobs
        ]
        return ([result.result().hypotheses[0] for result in batch] for batch in pending)

    def _generate(
        self, batch: list[list[str]], max_new_tokens: int, min_new_tokens: int, options: DecodingOptions
    ) -> list[list[str]]:
        results = self._run(self._translator, batch, max_new_tokens, min_new_tokens, options, False)
        return [result.hypotheses[0] for result in results]

    @staticmethod
    def _run(
        translator: Any,
        batch: list[list[str]],
        max_new_tokens: int,
        min_new_tokens: int,
        options: DecodingOptions,
        asynchronous: bool,
    ) -> list[Any]:
        # Same search as TransformersEngine._generation_settings; CTranslate2's defaults already
        # have no repetition penalty and no n-gram blocking, but say so rather than rely on them.
        # Scores, alternatives and unknown-word replacement are off: they cost time, never
        # change the best hypothesis.
        return translator.translate_batch(
            batch,
            beam_size=options.beam_size,
            max_decoding_length=max_new_tokens,
            min_decoding_length=min_new_tokens,
            length_penalty=1.0,
            repetition_penalty=1.0,
            no_repeat_ngram_size=0,
            num_hypotheses=1,
            return_scores=False,
            return_alternatives=False,
            replace_unknowns=False,
            return_end_token=False,
            max_batch_size=0,
            asynchronous=asynchronous,
        )

    def _decode(self, tokens: list[str]) -> str:
        return self.tokenizer.decode(tokens)
