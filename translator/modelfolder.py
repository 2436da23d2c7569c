"""What a model folder holds: the one home of its file names, its manifest and its checks.

Two kinds of folder live in the store: the Hugging Face layout of an OPUS-MT model
(`opus-mt-zh-en/`: config, tokenizer files, one weights file, zhen's manifest) and its
CTranslate2 conversion (`opus-mt-zh-en.ct2-int8/`: model.bin, tokenizer files, the conversion
record written last). Everything read from either is checked for type as well as presence: a
folder copied from elsewhere is data, not code zhen wrote.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from .errors import ModelBrokenError
from .statefile import check_depth

__all__ = [
    "CONVERSION_INFO",
    "MANIFEST",
    "MODEL_FILES",
    "TOKENIZER_FILES",
    "WEIGHT_FILES",
    "check_model_folder",
    "conversion_complete",
    "model_files",
    "read_conversion_info",
    "read_json_object",
    "read_revision",
]

#: Written next to the model files: where the model came from and which revision it is.
MANIFEST = "zhen-model.json"
#: Written last into a converted folder: its presence means the conversion finished.
CONVERSION_INFO = "zhen-conversion.json"
#: The tokenizer's files: two SentencePiece models and the shared vocabulary.
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
#: The tokenizer's settings (special tokens); optional, defaults apply without it.
TOKENIZER_CONFIG = "tokenizer_config.json"
#: Weight files zhen loads, safest first; both load without running pickled code.
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
#: Files every Hugging Face model folder needs besides one weights file.
REQUIRED_FILES = ("config.json", *TOKENIZER_FILES)
#: Everything of a model folder zhen copies when it installs one; nothing else is read.
MODEL_FILES = (
    *REQUIRED_FILES,
    *WEIGHT_FILES,
    "generation_config.json",
    TOKENIZER_CONFIG,
    "metadata.json",
    "README.md",
    "LICENSE",
    MANIFEST,
)
#: Largest weights file accepted (the real models are ~300 MB; a 1 GiB file is not a model).
MAX_WEIGHTS_BYTES = 1024 * 1024 * 1024
#: Largest other file accepted (the real vocab.json is 1.6 MB).
MAX_OTHER_BYTES = 16 * 1024 * 1024


def read_json_object(path: Path, limit: int = MAX_OTHER_BYTES) -> dict[str, Any] | None:
    """The JSON object in `path`; None when it is missing, too large, not JSON or not an object."""
    try:
        if path.stat().st_size > limit:
            return None
        text = path.read_text(encoding="utf-8")
        check_depth(text)
        value = json.loads(text)
    except (OSError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def read_revision(folder: Path, default: str = "unknown") -> str:
    """The revision recorded in a folder's manifest when it was downloaded or imported."""
    manifest = read_json_object(folder / MANIFEST) or {}
    revision = manifest.get("revision")
    return revision if isinstance(revision, str) and revision else default


def read_conversion_info(folder: Path) -> dict[str, Any] | None:
    """What the conversion recorded about a converted folder; None if it did not finish or the
    record is damaged (a value of the wrong type counts as damaged)."""
    info = read_json_object(Path(folder) / CONVERSION_INFO)
    if info is None:
        return None
    positions = info.get("max_position_embeddings", 512)
    quantization = info.get("quantization", "int8")
    if not isinstance(positions, int) or isinstance(positions, bool) or positions < 1:
        return None
    if not isinstance(quantization, str):
        return None
    return info


def conversion_complete(folder: Path) -> bool:
    """Whether `folder` holds a finished, undamaged CTranslate2 conversion."""
    return (folder / "model.bin").is_file() and read_conversion_info(folder) is not None


def model_files(source: Path) -> list[Path]:
    """The files of a model folder that an install copies: regular files directly inside it.

    A link (to a secret elsewhere, to /dev/zero), a device or a file over the size limit is
    refused with ModelBrokenError: installing must never copy anything from outside the folder.
    """
    chosen: list[Path] = []
    for name in MODEL_FILES:
        path = source / name
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        except OSError as error:
            raise ModelBrokenError(source, f"cannot read {name}: {error.strerror}") from None
        if stat.S_ISLNK(info.st_mode):
            raise ModelBrokenError(source, f"{name} is a link; copy the real file into the folder")
        if not stat.S_ISREG(info.st_mode):
            raise ModelBrokenError(source, f"{name} is not a regular file")
        limit = MAX_WEIGHTS_BYTES if name in WEIGHT_FILES else MAX_OTHER_BYTES
        if info.st_size > limit:
            raise ModelBrokenError(source, f"{name} is {info.st_size / 1e6:.0f} MB, more than a model file can be")
        chosen.append(path)
    return chosen


def check_model_folder(path: Path) -> None:
    """Raise ModelBrokenError unless `path` looks like a loadable Marian model (Hugging Face
    layout): the files are there and config.json and vocab.json have the right types."""
    if not path.is_dir():
        raise ModelBrokenError(path, "not a folder")
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise ModelBrokenError(path, "missing " + ", ".join(missing))
    if not any((path / name).is_file() for name in WEIGHT_FILES):
        raise ModelBrokenError(path, "no weights (model.safetensors or pytorch_model.bin)")
    config = read_json_object(path / "config.json")
    if config is None:
        raise ModelBrokenError(path, "config.json is unreadable or not a JSON object")
    vocab = read_json_object(path / "vocab.json")
    if vocab is None:
        raise ModelBrokenError(path, "vocab.json is unreadable or not a JSON object")
    if config.get("model_type") != "marian":
        raise ModelBrokenError(path, f"model_type is {config.get('model_type')!r}, not 'marian'")
    size = config.get("vocab_size")
    if not isinstance(size, int) or isinstance(size, bool):
        raise ModelBrokenError(path, f"config.json's vocab_size is {size!r}, not a number")
    if size != len(vocab):
        raise ModelBrokenError(path, f"vocab.json has {len(vocab)} entries but config.json says {size}")
    if not all(isinstance(index, int) for index in vocab.values()):
        raise ModelBrokenError(path, "vocab.json maps pieces to something other than numbers")
