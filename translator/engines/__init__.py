"""Translation engines: the part of zhen that turns a list of sentences into their translations.

`Translator` drives any object that satisfies `Engine`; the MarianMT engines in this package are
the built-in ones. Heavy libraries (torch, transformers, ctranslate2) are imported only inside the
engine modules, and those are imported only when a translation is first needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .options import DecodingOptions


@runtime_checkable
class Engine(Protocol):
    """Anything that translates plain sentences. Order and length of the output match the input."""

    def translate(self, segments: list[str], source: str, target: str) -> list[str]: ...


@runtime_checkable
class TokenCountingEngine(Engine, Protocol):
    """An engine that can say how many model tokens a text needs, so long sentences get split
    before they reach the model's position limit instead of being truncated."""

    def count_tokens(self, text: str, source: str, target: str) -> int: ...


@runtime_checkable
class CacheableEngine(Engine, Protocol):
    """An engine whose outputs are a pure function of the input and the decoding options.

    Only such engines are cached: the key names model, revision, backend and decoding options.
    The caller takes one snapshot of the options and passes it to `cache_key` and `translate`
    together, so settings changed during a decode can never file an output under another key.
    """

    def translate(
        self, segments: list[str], source: str, target: str, options: DecodingOptions | None = None
    ) -> list[str]: ...

    def cache_key(self, source: str, target: str, options: DecodingOptions | None = None) -> str: ...


__all__ = ["CacheableEngine", "Engine", "TokenCountingEngine"]
