"""jieba's dictionary as a memory-mapped trie: a jieba tokenizer ready in milliseconds, not seconds.

`jieba.Tokenizer().initialize()` unmarshals a dict of ~500,000 words and prefixes: 1-2 s and
~100 MB per process. The same counts (`gen_pfdict`'s word -> count and prefix -> 0, and its
`total`) are built once into a marisa-trie in zhen's cache folder and memory-mapped from then on,
so a process reads only the pages its text touches, and every tokenizer of the process shares them.

A tokenizer's own additions (`add_word`, `suggest_freq(..., tune=True)`) go to an overlay in its
`Frequencies`, so the glossary's tokenizer (with its terms) and dictionary mode's (jieba's words
only) share one trie. jieba's own code (`get_DAG`, `calc`, `cut`, `tokenize`, `suggest_freq`) runs
unchanged: it reads and writes `FREQ` as a mapping.

`add_words` adds the glossary's ~3,300 terms as `add_word` does, with the counts jieba suggests.
jieba segments each term to suggest its count: 0.3-0.45 s in all, on the first Chinese slang
match of every process. The counts a fresh tokenizer ends up with are kept in the cache folder,
named by the dictionary and the words, so later processes add the same words in milliseconds.

The cache file is the trie followed by a footer (magic, `total`, the trie's length); its name
holds a hash of jieba's dictionary file and `FORMAT`, so another dictionary or layout builds anew.
A file that fails to load is rebuilt; a cache folder that cannot be written only costs the build
in every process.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Part of the file name: change it whenever the layout of the file changes.
FORMAT = 1
#: One unsigned 32-bit count per key (jieba's largest is under a million).
_RECORD = "<I"
#: Magic, jieba's `total`, the length of the trie that precedes the footer.
_FOOTER = struct.Struct("<8sQQ")
_MAGIC = b"zhenjtr1"

_lock = threading.Lock()
#: Dictionary digest -> (trie, total): one load per process even when the cache folder changes.
_loaded: dict[str, tuple[Any, int]] = {}


class Frequencies(Mapping[str, int]):
    """jieba's `FREQ`: the shared trie below, this tokenizer's own words and counts above."""

    def __init__(self, trie: Any, dictionary: str) -> None:
        self._trie = trie
        #: Names the trie's dictionary and layout (as the cache file's name does).
        self.dictionary = dictionary
        self._overlay: dict[str, int] = {}

    @property
    def has_additions(self) -> bool:
        return bool(self._overlay)

    def __getitem__(self, word: str) -> int:
        count = self._overlay.get(word)
        if count is not None:
            return count
        return self._trie[word][0][0]  # a RecordTrie maps a key to a list of records

    def get(self, word: str, default: Any = None) -> Any:  # jieba's hot path, without Mapping.get's try/except
        count = self._overlay.get(word)
        if count is not None:
            return count
        records = self._trie.get(word)
        return default if records is None else records[0][0]

    def __contains__(self, word: object) -> bool:
        return word in self._overlay or word in self._trie

    def __setitem__(self, word: str, count: int) -> None:
        self._overlay[word] = count

    def __iter__(self) -> Iterator[str]:
        yield from self._overlay
        yield from (word for word in self._trie.iterkeys() if word not in self._overlay)

    def __len__(self) -> int:
        return len(self._trie) + sum(word not in self._trie for word in self._overlay)


def tokenizer() -> Any:
    """A `jieba.Tokenizer` with jieba's own dictionary, ready (no `initialize()` needed), whose
    additions stay its own."""
    import jieba

    name, (trie, total) = _shared_trie()
    fresh = jieba.Tokenizer()
    fresh.FREQ, fresh.total, fresh.initialized = Frequencies(trie, name), total, True
    return fresh


def _shared_trie() -> tuple[str, tuple[Any, int]]:
    """The name of jieba's dictionary (its digest and `FORMAT`), and its trie and total."""
    import jieba

    with jieba.Tokenizer().get_dict_file() as handle:
        dictionary = handle.read()
    name = f"{FORMAT}-{hashlib.sha256(dictionary).hexdigest()[:16]}"
    with _lock:
        if name not in _loaded:
            from translator.locations import jieba_trie_file

            _loaded[name] = load_or_build(jieba_trie_file(name), dictionary)
        return name, _loaded[name]


def add_words(tokenizer: Any, words: Sequence[str]) -> None:
    """Add `words` in this order, each as `tokenizer.add_word(word)` would: with the count jieba
    suggests, which depends on the words added before it. To a tokenizer fresh from `tokenizer()`
    the counts come from the cache folder when the same words were added there before."""
    from translator.locations import jieba_words_file
    from translator.statefile import read_derived, write_derived

    frequencies: Frequencies = tokenizer.FREQ
    fresh = bool(words) and not frequencies.has_additions
    key = (frequencies.dictionary, tuple(words))
    stored = _valid_counts(read_derived(jieba_words_file(), key), len(words)) if fresh else None
    for word, count in zip(words, stored or (None,) * len(words), strict=True):
        tokenizer.add_word(word, count)  # None: the count jieba suggests
    if fresh and stored is None:
        write_derived(jieba_words_file(), key, tuple(frequencies[word] for word in words))


def _valid_counts(counts: Any, expected: int) -> tuple[int, ...] | None:
    """`counts` when it is `expected` positive whole numbers, else None."""
    valid = (
        isinstance(counts, tuple)
        and len(counts) == expected
        and all(type(count) is int and count > 0 for count in counts)
    )
    return counts if valid else None


def load_or_build(path: Path, dictionary: bytes) -> tuple[Any, int]:
    """The trie and total of jieba dictionary file contents `dictionary`, from `path` or built
    (and saved there when possible)."""
    try:
        return _load(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, RuntimeError, struct.error) as error:
        log.debug("rebuilding the unusable jieba trie %s: %s", path, error)
    trie, total = _build(dictionary)
    try:
        from translator.statefile import write_state_file

        data = trie.tobytes()
        write_state_file(path, data + _FOOTER.pack(_MAGIC, total, len(data)))
    except OSError:
        log.debug("cannot write the jieba trie %s", path, exc_info=True)
    return trie, total


def _load(path: Path) -> tuple[Any, int]:
    import marisa_trie

    with path.open("rb") as handle:
        size = handle.seek(0, io.SEEK_END)
        if size < _FOOTER.size:
            raise ValueError("shorter than its footer")
        handle.seek(size - _FOOTER.size)
        magic, total, length = _FOOTER.unpack(handle.read(_FOOTER.size))
    if magic != _MAGIC or length != size - _FOOTER.size:
        raise ValueError("truncated or not a jieba trie")
    # marisa reads the trie from the start of the file and ignores the footer after it.
    return marisa_trie.RecordTrie(_RECORD).mmap(str(path)), total


def _build(dictionary: bytes) -> tuple[Any, int]:
    import jieba
    import marisa_trie

    frequencies, total = jieba.Tokenizer.gen_pfdict(io.BytesIO(dictionary))
    return marisa_trie.RecordTrie(_RECORD, ((word, (count,)) for word, count in frequencies.items())), total
