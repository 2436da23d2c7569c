"""One-off conversion of a transformers MarianMT folder into a CTranslate2 model folder.

The converted folder is self-contained: it also holds the tokenizer files, so the CTranslate2
engine needs nothing else (and never imports torch or transformers). Conversion itself does
import both; it runs once per model.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import tempfile
from pathlib import Path

from ..errors import BackendUnavailableError, ModelBrokenError, ModelNotFoundError, UsageError, ZhenError
from ..languages import ModelSpec
from ..modelfolder import (
    CONVERSION_INFO,
    REQUIRED_FILES,
    TOKENIZER_CONFIG,
    TOKENIZER_FILES,
    conversion_complete,
    read_json_object,
    read_revision,
)

#: Weight types CTranslate2 computes with on a CPU.
QUANTIZATIONS = ("int8", "int8_float32", "float32")
#: Copied into the converted folder so the CTranslate2 engine needs nothing else.
COPY_FILES = (*TOKENIZER_FILES, TOKENIZER_CONFIG)
CTRANSLATE2_MISSING = "CTranslate2 is not installed: run `pip install ctranslate2`, or use the transformers backend"


def ctranslate2_available() -> bool:
    """Whether CTranslate2 is installed, without paying for importing it."""
    return importlib.util.find_spec("ctranslate2") is not None


def converted_dir_name(spec: ModelSpec, quantization: str = "int8") -> str:
    """Folder name of a converted model in the store: `opus-mt-zh-en.ct2-int8`."""
    return f"{spec.name}.ct2-{quantization}"


def convert_to_ctranslate2(hf_dir: Path, out_dir: Path, quantization: str = "int8", *, force: bool = False) -> Path:
    """Convert `hf_dir` into `out_dir` and return `out_dir`.

    A finished conversion already in `out_dir` is kept unless `force`. The model is converted into
    a temporary sibling folder that replaces `out_dir` only when complete, so an interrupted
    conversion never leaves a half-written model behind.
    """
    hf_dir, out_dir = Path(hf_dir), Path(out_dir)
    if quantization not in QUANTIZATIONS:
        raise UsageError(f"quantization must be one of {', '.join(QUANTIZATIONS)}, not {quantization!r}")
    if not force and conversion_complete(out_dir):
        return out_dir
    if not hf_dir.is_dir():
        raise ModelNotFoundError(hf_dir.name, hf_dir)
    missing = [name for name in REQUIRED_FILES if not (hf_dir / name).is_file()]
    if missing:
        raise ModelBrokenError(hf_dir, f"{', '.join(missing)} missing")
    if not ctranslate2_available():
        raise BackendUnavailableError(CTRANSLATE2_MISSING)

    import ctranslate2
    from ctranslate2.converters import TransformersConverter

    from .transformers_engine import quiet_transformers

    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    except OSError as error:
        raise ConversionFolderError(out_dir.parent, error) from None
    try:
        converted = work / "model"
        copy_files = [name for name in COPY_FILES if (hf_dir / name).is_file()]
        try:
            with quiet_transformers():
                converter = TransformersConverter(str(hf_dir), copy_files=copy_files)
                converter.convert(str(converted), quantization=quantization, force=True)
        except Exception as exc:  # the converter raises anything from ValueError to KeyError
            raise ModelBrokenError(hf_dir, f"CTranslate2 cannot convert it: {type(exc).__name__}: {exc}") from None
        info = {
            "quantization": quantization,
            "source_model": str(hf_dir.resolve()),
            "revision": read_revision(hf_dir, default="") or None,
            "ctranslate2_version": ctranslate2.__version__,
            "max_position_embeddings": _max_positions(hf_dir),
        }
        (converted / CONVERSION_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        _replace(converted, out_dir, work)
    except OSError as error:
        raise ConversionFolderError(out_dir.parent, error) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out_dir


def _replace(new: Path, target: Path, work: Path) -> None:
    """Put `new` at `target`; an old `target` is moved into `work` (deleted with it) first."""
    if target.exists():
        target.rename(work / "old")
    new.rename(target)


class ConversionFolderError(ZhenError):
    """The converted copy cannot be written (a read-only store, a full disk)."""

    def __init__(self, folder: Path, error: OSError) -> None:
        super().__init__(f"cannot write the CTranslate2 copy into {folder} ({error.strerror or error})")


def _max_positions(hf_dir: Path) -> int:
    config = read_json_object(hf_dir / "config.json") or {}
    value = config.get("max_position_embeddings", 512)
    return value if isinstance(value, int) else 512
