"""Word boundaries for Chinese terms, from jieba: 老铁路边上 is 老 / 铁路 / 边上, not 老铁 + 路边上.

A Chinese glossary term found as a string may cut through a longer ordinary word (加油 in
加油站, 太太 in 老太太); jieba, with every glossary term in its dictionary so that slang stays
whole, says where the words are. Terms get the frequency jieba's `suggest_freq` computes: just
enough to stay whole on their own, so an ordinary word around them still wins in context.

jieba's dictionary takes 1-2 s and ~100 MB to load, so it loads on the first Chinese candidate
match (never for English text or when a glossary is merely loaded), once per process, shared by
every glossary; only a window of the text around each candidate is segmented, so the work per
match is constant and a long text costs linear time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

#: Characters either side of a candidate that jieba sees: enough context for the longest
#: ordinary words, and bounded so that every match costs the same.
WINDOW = 12

_lock = threading.Lock()
_tokenizer: Any = None
_added: set[str] = set()


def _jieba() -> Any:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # jieba announces its dictionary loading on stderr
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _tokenizer = tokenizer
        return _tokenizer


def _block(char: str) -> bool:
    """A character jieba segments (it cuts text into blocks of these first)."""
    return "\u4e00" <= char <= "\u9fd5" or (char.isascii() and (char.isalnum() or char in "+#&._%-"))


class WordBoundaries:
    """Decides whether a Chinese candidate match lies on word boundaries of its text."""

    def __init__(self, terms: Iterable[str]) -> None:
        #: Normalised (folded, Simplified) spellings that contain Chinese characters.
        self._terms = frozenset(terms)
        self._ready = False

    def _tokenizer(self) -> Any:
        tokenizer = _jieba()
        if not self._ready:
            with _lock:
                for term in sorted(self._terms - _added):
                    tokenizer.add_word(term)
                    _added.add(term)
            self._ready = True
        return tokenizer

    def cut_word(self, text: str, start: int, end: int, cache: dict[tuple[int, int], list[int]]) -> str:
        """The ordinary word that `text[start:end]` cuts through, or "" when it is a word of its own.

        `text` is normalised (folded, Simplified); `cache` holds segmentations of windows
        already seen during one search, keyed by window bounds.
        """
        low = start
        while low > max(0, start - WINDOW) and _block(text[low - 1]):
            low -= 1
        high = end
        while high < min(len(text), end + WINDOW) and _block(text[high]):
            high += 1
        if low == start and high == end:
            return ""
        key = (low, high)
        cuts = cache.get(key)
        if cuts is None:
            tokens = self._tokenizer().tokenize(text[low:high], HMM=False)
            cuts = [low + token_end for _, _, token_end in tokens]
            cache[key] = cuts
        boundaries = {low, *cuts}
        if start in boundaries and end in boundaries:
            return ""
        word_start = max(b for b in boundaries if b <= start)
        word_end = min(b for b in boundaries if b >= end)
        return text[word_start:word_end]
