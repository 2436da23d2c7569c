"""The backends that run zhen's MarianMT models, and the engine each builds.

A backend's engine module (and with it torch, transformers or ctranslate2) is imported only when
its first engine is built. `set_engine_factory` replaces how a backend builds its engines in this
process: the hook a benchmark or an experimental engine uses instead of patching zhen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from ..languages import ModelSpec
    from . import Engine
    from .options import DecodingOptions

#: What `backend=` accepts: "auto" is CTranslate2 when it is installed, else transformers.
BACKENDS = ("auto", "ctranslate2", "transformers")

#: Builds one direction's engine: (model folder, spec, default options, revision) -> engine.
EngineFactory = Callable[[Path, "ModelSpec", "DecodingOptions", str], "Engine"]


def _ctranslate2(folder: Path, spec: ModelSpec, options: DecodingOptions, revision: str) -> Engine:
    from .ctranslate2_engine import CTranslate2Engine

    return CTranslate2Engine(folder, spec, options, revision=revision)


def _transformers(folder: Path, spec: ModelSpec, options: DecodingOptions, revision: str) -> Engine:
    from .transformers_engine import TransformersEngine

    return TransformersEngine(folder, spec, options, revision=revision)


_FACTORIES: dict[str, EngineFactory] = {"ctranslate2": _ctranslate2, "transformers": _transformers}


def engine_factory(backend: str) -> EngineFactory:
    """How `backend` ("ctranslate2" or "transformers") builds an engine."""
    return _FACTORIES[backend]


def set_engine_factory(backend: str, factory: EngineFactory) -> None:
    """Build every `backend` engine of this process with `factory` from now on."""
    if backend not in _FACTORIES:
        raise UsageError(f"unknown backend {backend!r}: choose one of {', '.join(_FACTORIES)}")
    _FACTORIES[backend] = factory


__all__ = ["BACKENDS", "EngineFactory", "engine_factory", "set_engine_factory"]
