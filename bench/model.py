"""The benchmark's model: OPUS-MT zh-en's real architecture and tokenizer with random weights.

The trained weights cannot be downloaded on the machines this project is built on, but speed and
memory depend only on the architecture (77.9 M parameters, 6+6 layers, d_model 512, 65,001
pieces), so a randomly initialised copy built from the real `config.json` is timed instead. It is
built once into a model store outside the repository (`~/.cache/zhen-bench/` unless
`ZHEN_BENCH_CACHE` says otherwise), in the layout zhen's `ModelStore` expects: the Hugging Face
folder plus its CTranslate2 int8 conversion, so `Translator(models_dir=...)` and
`zhen --models-dir ...` find both.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transformers import GenerationConfig

#: Files of the real model that the random copy reuses as they are.
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "metadata.json")
MODEL_NAME = "opus-mt-zh-en"
#: Written last into a built store: its presence means the build finished.
BUILT_MARKER = "zhen-bench-model.json"
#: A model small enough for tests (about 1 M parameters, almost all of them the embedding), with
#: the real vocabulary so tokenization is exercised exactly as in the full benchmark.
TINY_OVERRIDES = {
    "d_model": 16,
    "encoder_layers": 1,
    "decoder_layers": 1,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 32,
    "decoder_ffn_dim": 32,
}


def shared_dir() -> Path:
    """`../shared` next to the repository: real tokenizer, config and FLORES text."""
    return Path(__file__).resolve().parents[1].parent / "shared"


def shared_model_dir() -> Path:
    return shared_dir() / MODEL_NAME


def default_cache_root() -> Path:
    return Path(os.environ.get("ZHEN_BENCH_CACHE") or Path.home() / ".cache" / "zhen-bench")


@dataclass(frozen=True)
class BenchModel:
    """A built model store: `store` is what zhen's `--models-dir` takes."""

    store: Path
    seed: int
    tiny: bool

    @property
    def hf_dir(self) -> Path:
        return self.store / MODEL_NAME

    @property
    def ct2_dir(self) -> Path:
        return self.store / f"{MODEL_NAME}.ct2-int8"

    def info(self) -> dict[str, object]:
        return json.loads((self.store / BUILT_MARKER).read_text(encoding="utf-8"))


def build_model(cache_root: Path | None = None, *, seed: int = 0, tiny: bool = False) -> BenchModel:
    """The store for (`seed`, `tiny`), built on first use (~30 s for the full model, then cached)."""
    root = cache_root or default_cache_root()
    model = BenchModel(root / f"{'tiny' if tiny else 'full'}-seed{seed}" / "models", seed, tiny)
    if (model.store / BUILT_MARKER).is_file():
        return model
    source = shared_model_dir()
    if not (source / "config.json").is_file():
        raise FileNotFoundError(f"{source} is missing: the benchmark needs ../shared/{MODEL_NAME}")
    if model.store.exists():
        shutil.rmtree(model.store)  # an interrupted build: start again
    model.store.mkdir(parents=True)
    parameters = _save_random_model(source, model.hf_dir, seed, tiny)

    from translator.engines.convert import convert_to_ctranslate2

    convert_to_ctranslate2(model.hf_dir, model.ct2_dir, "int8")
    marker = {"seed": seed, "tiny": tiny, "parameters": parameters, "built_from": str(source)}
    (model.store / BUILT_MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    return model


def _save_random_model(source: Path, destination: Path, seed: int, tiny: bool) -> int:
    """Random-weight MarianMTModel from the real config, saved with the real tokenizer files."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    from translator.engines.transformers_engine import quiet_transformers

    with quiet_transformers():
        config = MarianConfig.from_pretrained(source, **(TINY_OVERRIDES if tiny else {}))
        torch.manual_seed(seed)
        model = MarianMTModel(config).eval()
        model.generation_config = _hub_generation_config(source)
        model.save_pretrained(destination)
    for name in TOKENIZER_FILES:
        if (source / name).is_file():
            shutil.copyfile(source / name, destination / name)
    # What zhen's model store writes on install: it names the revision in cache keys.
    manifest = {"repo_id": f"random/{MODEL_NAME}", "revision": f"random-seed{seed}{'-tiny' if tiny else ''}"}
    (destination / "zhen-model.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return sum(parameter.numel() for parameter in model.parameters())


def _hub_generation_config(source: Path) -> GenerationConfig:
    """The search settings the published model ships with (beam 6, max length 512, no <pad>),
    read from its config.json: transformers 5 no longer carries them over from there by itself,
    and the naive contender must run with the defaults a user of the Hub model gets."""
    from transformers import GenerationConfig

    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    keys = ("num_beams", "max_length", "bad_words_ids", "bos_token_id", "eos_token_id", "pad_token_id")
    settings = {key: config[key] for key in keys if key in config}
    return GenerationConfig(
        **settings,
        decoder_start_token_id=config["decoder_start_token_id"],
        forced_eos_token_id=config["eos_token_id"],
    )
