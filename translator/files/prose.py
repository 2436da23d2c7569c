"""Guess which values of a data file are prose, when the user did not name them with --fields.

Crawled exports mix prose (titles, descriptions, comments) with strings that only look like text:
ids, URLs, dates, enum values ("published"), file names, hashtag lists. Translating those would
corrupt the data, so the rule leans towards leaving a value alone:

- a value must have at least one piece the library would send to a model (so URLs, e-mail
  addresses, @mentions, hashtags, emoji and numbers on their own do not count);
- an ASCII value must have more than one word: single tokens are ids, codes, dates and enum
  values far more often than one-word sentences.

`--fields` overrides the guess for values the user names. Results are memoised: exports repeat the
same short values (nicknames, locations, stock replies) thousands of times.
"""

from __future__ import annotations

from functools import lru_cache

from ..segment import segment


@lru_cache(maxsize=16384)
def looks_like_prose(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.isascii() and not any(char.isspace() for char in stripped):
        return False
    return any(piece.is_prose for piece in segment(stripped))
