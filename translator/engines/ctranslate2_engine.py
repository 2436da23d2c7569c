"""MarianMT through CTranslate2: the fast backend (int8 on CPU).

Needs only a converted folder (see `convert.py`) and the `ctranslate2` and `sentencepiece`
packages: tokenization is done by `MarianSentencePieceTokenizer` (one per folder and process,
shared with the token counter), so torch and transformers are never imported and the first
translation starts in well under a second.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BackendUnavailableError, ModelBrokenError
from ..languages import ModelSpec
from ..modelfolder import read_conversion_info
from ..settings import thread_count
from .convert import CTRANSLATE2_MISSING
from .marian_base import BatchJob, MarianEngineBase
from .marian_tokenizer import shared_tokenizer
from .options import DecodingOptions

if TYPE_CHECKING:
    import ctranslate2

#: Most batches decoded side by side. On 2 cores (bench, FLORES, beam 4, int8) two one-thread
#: workers decoded 1.37x the tokens per second of one two-thread worker, on less CPU time: a
#: 512-wide model gives each thread too little work within one batch. More workers than this
#: would leave a single sentence on too small a share of a big machine.
MAX_WORKERS = 4
#: Threads per batch when a person waits for one text (`DecodingOptions.interactive`). On 2
#: cores (beam 4, int8) one 15-token sentence decoded in 300 ms on two threads against 395 ms on
#: one, and a post of 2-8 sentences took about as long either way (cut into one part per worker,
#: or one batch on both threads). More than 4 threads on one batch of a 512-wide model is a
#: guess this 2-core machine could not check, so bigger machines get several such workers.
INTERACTIVE_THREADS_PER_WORKER = 4


def thread_split(threads: int, interactive: bool = False) -> tuple[int, int]:
    """(batches decoded side by side, threads each) for a budget of `threads` CPU threads: one
    thread per batch for throughput, up to `INTERACTIVE_THREADS_PER_WORKER` when interactive."""
    if interactive:
        workers = max(1, min(MAX_WORKERS, threads // INTERACTIVE_THREADS_PER_WORKER))
    else:
        workers = min(threads, MAX_WORKERS)
    return workers, max(1, threads // workers)


def _costliest_first(jobs: list[BatchJob[str]]) -> list[int]:
    """Job indices, the most decoding work first: every step of a beam search reads the whole
    source and extends every output, so a batch costs about its size times its lengths."""

    def cost(index: int) -> int:
        job = jobs[index]
        return len(job.inputs) * (max(map(len, job.inputs)) + job.max_new_tokens)

    return sorted(range(len(jobs)), key=cost, reverse=True)


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
        try:
            import ctranslate2
        except ImportError:
            raise BackendUnavailableError(CTRANSLATE2_MISSING) from None
        self.workers, threads_per_worker = thread_split(thread_count(), options.interactive)
        # CTranslate2 reads the weights without holding the GIL, so the tokenizer is read meanwhile.
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="zhen-ct2-load") as pool:
            loading = pool.submit(
                ctranslate2.Translator,
                str(self.model_dir),
                device="cpu",
                compute_type=self.quantization,
                inter_threads=self.workers,
                intra_threads=threads_per_worker,
            )
            self.tokenizer = shared_tokenizer(self.model_dir)
            self._check_target_tokens(lambda: self.tokenizer.vocab)
            try:
                self._translator = loading.result()
                self._warm_up()
            except (RuntimeError, ValueError, OSError) as exc:
                raise ModelBrokenError(self.model_dir, f"CTranslate2 cannot load it: {exc}") from None

    def _warm_up(self) -> None:
        """Decode one step on every worker, so that the first text a person waits for is not
        also the process's first decode (about 95 ms against 60 for "你好" at beam 4 here; the
        warm-up itself takes 15-55 ms, in the loading thread). The source holds a piece besides
        `</s>`: CTranslate2 answers a source of `</s>` alone with nothing, without running the
        model."""
        tokenizer = self.tokenizer
        self._translator.translate_batch(
            [[tokenizer.unk, tokenizer.eos]] * self.workers,
            beam_size=self.options.beam_size,
            min_decoding_length=1,
            max_decoding_length=1,
            max_batch_size=1,
        )

    @property
    def variant(self) -> str:
        return self.quantization

    def _encode(self, text: str, options: DecodingOptions) -> list[str]:
        # CTranslate2 maps pieces it does not know to <unk> itself.
        return self.tokenizer.encode_pieces(text, self.target_token(options), unknown_as_unk=False)

    def _generate_all(self, jobs: list[BatchJob[str]], options: DecodingOptions) -> Iterator[list[list[str]]]:
        # Every batch is queued at once, so that the workers decode several side by side. Fewer
        # batches than workers (one post) are cut into one part per worker, so that they keep
        # every worker busy; more are left whole, as cutting them only costs batching efficiency.
        parts = self.workers if len(jobs) < self.workers else 1
        # Costliest first: queued in length order, the longest batches would come last, one
        # worker decoding them while the others had nothing left to do.
        pending = {index: self._submit(jobs[index], options, parts) for index in _costliest_first(jobs)}
        for index in range(len(jobs)):
            yield [result.result().hypotheses[0] for result in pending[index]]

    def _submit(
        self, job: BatchJob[str], options: DecodingOptions, parts: int
    ) -> list[ctranslate2.AsyncTranslationResult]:
        # Same search as TransformersEngine._generation_settings; CTranslate2's defaults already
        # have no repetition penalty and no n-gram blocking, but say so rather than rely on them.
        return self._translator.translate_batch(
            job.inputs,
            beam_size=options.beam_size,
            max_decoding_length=job.max_new_tokens,
            min_decoding_length=job.min_new_tokens,
            length_penalty=1.0,
            repetition_penalty=1.0,
            no_repeat_ngram_size=0,
            num_hypotheses=1,
            return_end_token=False,
            return_scores=False,
            max_batch_size=-(-len(job.inputs) // parts),
            batch_type="examples",
            asynchronous=True,
        )

    def _decode(self, tokens: list[str]) -> str:
        return self.tokenizer.decode(tokens)
