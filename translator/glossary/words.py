"""Word boundaries for Chinese terms, from jieba: 老铁路边上 is 老 / 铁路 / 边上, not 老铁 + 路边上.

A Chinese glossary term found as a string may cut through a longer ordinary word (加油 in
加油站, 太太 in 老太太); jieba, with every glossary term in its dictionary so that slang stays
whole, says where the words are. Terms get the frequency jieba's `suggest_freq` computes: just
enough to stay whole on their own, so an ordinary word around them still wins in context (an entry's
`slang_when` rule can still claim a match that jieba would cut, see matcher.py).

jieba's dictionary is a memory-mapped trie (jieba_trie.py: milliseconds once built, the build ~3 s
once per jieba dictionary), opened on the first Chinese candidate match (never for English text or
when a glossary is merely loaded), once per process, shared by every glossary and by dictionary mode
(`plain_jieba`, see `_OneJieba`); only a window of the text around each candidate is segmented, so
the work per match is constant and a long text costs linear time.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from . import jieba_trie

#: Characters either side of a candidate that jieba sees: enough context for the longest
#: ordinary words, and bounded so that every match costs the same.
WINDOW = 8
#: Longest ordinary word the quick test looks for around a term (加油站, 老太太, 高铁路线).
LONGEST = 5
#: How much less likely (natural log) the best segmentation that keeps the term whole may be
#: than jieba's best before the term counts as cutting through a word: e^4 ≈ 55 times.
MAX_LOG_RATIO = 4.0

_lock = threading.Lock()


class _OneJieba:
    """The process's two jieba tokenizers, which must not see each other's words: the glossary's
    has every glossary term added, dictionary mode's segments with jieba's own dictionary only.
    Both read one memory-mapped copy of jieba's dictionary (jieba_trie.py) and keep their
    additions to themselves.
    """

    def __init__(self) -> None:
        self.glossary: Any = None
        self.plain: Any = None
        self.added: set[str] = set()

    def for_glossary(self) -> Any:
        if self.glossary is None:
            self.glossary = jieba_trie.tokenizer()
        return self.glossary

    def for_dictionary(self) -> Any:
        if self.plain is None:
            self.plain = jieba_trie.tokenizer()
        return self.plain

    def add_words(self, terms: Iterable[str]) -> None:
        new = sorted(set(terms) - self.added)
        jieba_trie.add_words(self.for_glossary(), new)
        self.added.update(new)


_jiebas = _OneJieba()


def plain_jieba() -> Any:
    """jieba with its own dictionary only (no glossary terms): dictionary mode segments with it."""
    with _lock:
        return _jiebas.for_dictionary()


def _jieba(terms: Iterable[str] = ()) -> Any:
    """jieba with every glossary term of the process added (`terms` too)."""
    with _lock:
        _jiebas.add_words(terms)
        return _jiebas.for_glossary()


def _block(char: str) -> bool:
    """A character jieba segments: it cuts text into runs of its own `re_han_default` first, so
    its rule, not zhen's idea of Chinese (translator.scripts), decides what it sees together."""
    import jieba  # already imported by the time a candidate is checked: a dictionary look-up

    return jieba.re_han_default.fullmatch(char) is not None


def _crossing_word(frequencies: Mapping[str, int], text: str, start: int, end: int, low: int, high: int) -> bool:
    """Whether some dictionary word of up to `LONGEST` characters crosses a boundary of the
    term or holds it: the quick test that spares most matches jieba's full scoring."""
    for boundary in (start, end):
        for word_start in range(max(low, boundary - LONGEST + 1), boundary):
            for word_end in range(boundary + 1, min(high, word_start + LONGEST) + 1):
                if (word_start, word_end) != (start, end) and frequencies.get(text[word_start:word_end]):
                    return True
    return False


class WordBoundaries:
    """Decides whether a Chinese candidate match lies on word boundaries of its text."""

    def __init__(self, terms: Iterable[str]) -> None:
        #: Normalised (folded, Simplified) spellings that contain Chinese characters.
        self._terms = frozenset(terms)
        self._ready = False

    def _tokenizer(self) -> Any:
        tokenizer = _jieba(() if self._ready else self._terms)
        self._ready = True
        return tokenizer

    def cut_word(self, text: str, start: int, end: int, cache: dict[tuple[int, int], float]) -> str:
        """The ordinary word that `text[start:end]` cuts through, or "" when it is a word there.

        jieba scores segmentations by word frequencies. The term is a word when the best
        segmentation with a break before and after it is nearly as likely as the best one:
        吃|火锅 against 吃火锅 (a common compound that jieba keeps whole) is close, 加油|站
        against 加油站 (the gas station) is not. `text` is normalised (folded, Simplified);
        `cache` keeps the best scores of stretches already scored during one search.
        """
        low = start
        while low > max(0, start - WINDOW) and _block(text[low - 1]):
            low -= 1
        high = end
        while high < min(len(text), end + WINDOW) and _block(text[high]):
            high += 1
        if low == start and high == end:
            return ""
        tokenizer = self._tokenizer()
        if not _crossing_word(tokenizer.FREQ, text, start, end, low, high):
            return ""
        best = self._best(tokenizer, text, low, high, cache)
        forced = (
            self._best(tokenizer, text, low, start, cache)
            + self._log_frequency(tokenizer, text[start:end])
            + self._best(tokenizer, text, end, high, cache)
        )
        if best - forced < MAX_LOG_RATIO:
            return ""
        words = [word for word, _, _ in tokenizer.tokenize(text[low:high], HMM=False)]
        offset = low
        for word in words:
            if offset < end and start < offset + len(word) and (offset < start or offset + len(word) > end):
                return word
            offset += len(word)
        return text[low:high]

    @staticmethod
    def _log_frequency(tokenizer: Any, word: str) -> float:
        return math.log(tokenizer.FREQ.get(word) or 1) - math.log(tokenizer.total)

    @staticmethod
    def _best(tokenizer: Any, text: str, low: int, high: int, cache: dict[tuple[int, int], float]) -> float:
        """jieba's score (log probability) of the best segmentation of `text[low:high]`."""
        if low >= high:
            return 0.0
        score = cache.get((low, high))
        if score is None:
            stretch = text[low:high]
            route: dict[int, tuple[float, int]] = {}
            tokenizer.calc(stretch, tokenizer.get_DAG(stretch), route)
            score = cache[(low, high)] = route[0][0]
        return score
