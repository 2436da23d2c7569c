"""MarianMT through transformers + torch: the reference backend, and the fallback when
CTranslate2 or a converted model is missing.

torch and transformers are imported when an engine is built, never when this module is.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import ModelBrokenError, first_line
from ..languages import ModelSpec
from ..modelfolder import TOKENIZER_FILES, WEIGHT_FILES
from ..settings import thread_count
from .marian_base import BatchJob, MarianEngineBase
from .options import DecodingOptions


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence what transformers and torch print while loading (progress bars, advice to install
    sacremoses, deprecation notes): zhen's CLI and TUI own the terminal."""
    from transformers.utils import logging

    bars = logging.is_progress_bar_enabled()
    verbosity = logging.get_verbosity()
    logging.disable_progress_bar()
    logging.set_verbosity_error()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.set_verbosity(verbosity)
        if bars:
            logging.enable_progress_bar()


class TransformersEngine(MarianEngineBase[int]):
    """MarianMTModel with MarianTokenizer; int8 dynamic quantization of Linear layers by default."""

    backend = "transformers"

    def __init__(
        self,
        model_dir: Path,
        spec: ModelSpec,
        options: DecodingOptions = DecodingOptions(),  # noqa: B008 (frozen, so sharing is safe)
        *,
        revision: str = "unknown",
        quantize: bool = True,
    ) -> None:
        super().__init__(model_dir, spec, options, revision)
        weights = [name for name in WEIGHT_FILES if (self.model_dir / name).is_file()]
        if not weights:
            raise ModelBrokenError(self.model_dir, "it has no weights (model.safetensors or pytorch_model.bin)")
        for name in ("config.json", *TOKENIZER_FILES):
            if not (self.model_dir / name).is_file():
                raise ModelBrokenError(self.model_dir, f"{name} is missing")

        import torch
        from transformers import MarianMTModel, MarianTokenizer

        torch.set_num_threads(thread_count())
        try:
            with quiet_transformers():
                self._tokenizer = MarianTokenizer.from_pretrained(self.model_dir, local_files_only=True)
                # With output_loading_info the result is a (model, info) pair, which the stubs do not say.
                loaded: Any = MarianMTModel.from_pretrained(
                    self.model_dir,
                    local_files_only=True,
                    use_safetensors=weights[0].startswith("model.safetensors"),
                    weights_only=True,
                    output_loading_info=True,
                )
                model, info = loaded
        except Exception as exc:  # anything transformers raises means the same thing to a user
            raise ModelBrokenError(self.model_dir, f"transformers cannot load it: {_one_line(exc)}") from None
        missing = sorted(info.get("missing_keys", ()))
        if missing:
            # transformers would fill these with random numbers and translate nonsense.
            raise ModelBrokenError(self.model_dir, f"its weights lack {len(missing)} tensors, e.g. {missing[0]}")
        self._check_target_tokens(self._tokenizer.get_vocab)

        model.eval()
        # Deprecated in torch (a warning says "removed in 2.10", yet 2.13 has it) but still the
        # only dependency-free int8 path: with the real architecture (random weights, 1 thread)
        # ~3x faster than float32, and identical outputs on the memorised test models. A torch
        # without it gets float32 rather than an error.
        quantize_dynamic = getattr(getattr(torch.ao, "quantization", None), "quantize_dynamic", None)
        self.quantized = quantize and quantize_dynamic is not None
        if quantize_dynamic is not None and self.quantized:
            with quiet_transformers():
                model = quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self._model = model
        self._torch = torch
        self.max_positions = int(model.config.max_position_embeddings)
        config = model.config
        self._pad_id = int(config.pad_token_id)
        self._start_id = int(config.decoder_start_token_id)
        self._eos_id = int(config.eos_token_id)

    @property
    def variant(self) -> str:
        return "int8-dynamic" if self.quantized else "float32"

    def _encode(self, text: str, options: DecodingOptions) -> list[int]:
        target_token = self.target_token(options)
        # MarianTokenizer takes a leading >>cmn_Hans<< out of the text as a token of its own.
        # Not verbose: counting the tokens of an over-long text is how the Translator finds out
        # it must split it, which is no reason to log a warning.
        return self._tokenizer(f"{target_token} {text}" if target_token else text, verbose=False).input_ids

    def _generate_all(self, jobs: list[BatchJob[int]], options: DecodingOptions) -> Iterator[list[list[int]]]:
        # torch already spreads one batch over every thread: batches go one after another.
        for job in jobs:
            yield self._generate(job.inputs, job.max_new_tokens, job.min_new_tokens, options)

    def _generate(
        self, batch: list[list[int]], max_new_tokens: int, min_new_tokens: int, options: DecodingOptions
    ) -> list[list[int]]:
        torch = self._torch
        width = max(len(ids) for ids in batch)
        input_ids = torch.full((len(batch), width), self._pad_id, dtype=torch.long)
        attention_mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
            attention_mask[row, : len(ids)] = 1
        with torch.inference_mode():
            output = self._model.generate(
                input_ids=input_ids,
                attention_mask=attention_mask,
                **self._generation_settings(max_new_tokens, min_new_tokens, options),
            )
        return [row[1:] for row in output.tolist()]  # drop the decoder start token

    def _generation_settings(
        self, max_new_tokens: int, min_new_tokens: int = 0, options: DecodingOptions | None = None
    ) -> dict[str, Any]:
        """Every setting that shapes the search, so nothing depends on the model's
        generation_config.json (the Hub's opus-mt configs differ from model to model)."""
        return {
            "num_beams": (options or self.options).beam_size,
            "max_new_tokens": max_new_tokens,
            # Unset, or the config's max_length (512) is logged as clashing with max_new_tokens.
            "max_length": None,
            "min_new_tokens": min_new_tokens,
            "do_sample": False,
            "length_penalty": 1.0,
            "early_stopping": False,
            "num_return_sequences": 1,
            "no_repeat_ngram_size": 0,
            "repetition_penalty": 1.0,
            # <pad> only starts the decoder; CTranslate2 drops it from the vocabulary altogether.
            "bad_words_ids": [[self._pad_id]],
            # Forcing </s> at the cap would change a capped output's last token (CTranslate2
            # does not do that either); capped outputs are cut and trimmed anyway.
            "forced_eos_token_id": None,
            "decoder_start_token_id": self._start_id,
            "eos_token_id": self._eos_id,
            "pad_token_id": self._pad_id,
        }

    def _decode(self, tokens: list[int]) -> str:
        return self._tokenizer.decode(tokens, skip_special_tokens=True)


def _one_line(exc: BaseException) -> str:
    """transformers' and torch's error, in one line and without their advice: torch suggests
    weights_only=False when a pickle holds more than tensors, which would run that code."""
    text = str(exc)
    if "weights_only" in text or "Weights only load failed" in text:
        return (
            "its pytorch_model.bin holds more than plain tensors and zhen never runs pickled code; "
            "use a model.safetensors copy"
        )
    return f"{type(exc).__name__}: {first_line(exc)}"
