"""The translation cache as a wrapper around an engine: look up, send only the misses, store."""

from __future__ import annotations

from collections.abc import Collection

from .cache import TranslationCache
from .engines import CacheableEngine, Engine
from .engines.options import DecodingOptions
from .errors import ZhenError

#: A sentence's translation, and whether it came from the cache.
Answer = tuple[str, bool]


class CachedEngine:
    """One engine behind the cache. Only a `CacheableEngine` is cached (its outputs depend on
    nothing but input and options); any other engine, or `cache=None`, translates everything."""

    def __init__(self, engine: Engine, cache: TranslationCache | None) -> None:
        self.engine = engine
        self.cache = cache

    def translate(
        self, sentences: Collection[str], source: str, target: str, options: DecodingOptions
    ) -> dict[str, Answer]:
        """Each distinct sentence's translation with `options`, the snapshot that also names the
        cache key (so settings changed meanwhile can never file an output under another key)."""
        engine = self.engine
        cacheable = engine if isinstance(engine, CacheableEngine) else None
        cache = self.cache if cacheable is not None else None
        key = cacheable.cache_key(source, target, options) if cacheable is not None and cache is not None else ""
        answers: dict[str, Answer] = {}
        if cache is not None:
            answers.update((s, (out, True)) for s, out in cache.get_many(key, list(sentences)).items())
        # Sorted by length so each batch pads little; the engine splits into batches itself.
        todo = sorted((s for s in sentences if s not in answers), key=lambda s: (len(s), s))
        if not todo:
            return answers
        outputs = (
            cacheable.translate(todo, source, target, options)
            if cacheable is not None
            else engine.translate(todo, source, target)
        )
        if len(outputs) != len(todo):
            raise ZhenError(
                f"the {type(engine).__name__} engine returned {len(outputs)} translations for {len(todo)} sentences"
            )
        answers.update((s, (out, False)) for s, out in zip(todo, outputs, strict=True))
        if cache is not None:
            cache.put_many(key, zip(todo, outputs, strict=True))
        return answers


__all__ = ["Answer", "CachedEngine"]
