"""Spans of a text that are not language: addresses, mentions, tags, stickers and emoji.

The one definition of "not prose", shared by the segmenter (these never reach the model), the
glossary matcher (no notes inside them) and the file formats.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .scripts import CJK_PUNCTUATION, HAN

__all__ = ["PROTECTED", "protected_spans"]

_EMOJI_BASE = (
    "\U0001F000-\U0001FAFF"  # pictographs, emoticons, transport, symbols & pictographs ext.
    "\u2600-\u27BF"  # misc symbols, dingbats
    "\u2300-\u23FF"  # misc technical (⌚ ⏰)
    "\u2B00-\u2BFF"  # arrows, stars (⭐ ⬆)
    "\u2190-\u21FF"
    "\u3030\u303D\u3297\u3299\u00A9\u00AE\u203C\u2049\u2122\u2139"
)
_EMOJI_MOD = "\uFE0E\uFE0F\u20E3\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F"
_EMOJI = (
    rf"(?:[{_EMOJI_BASE}][{_EMOJI_MOD}]*(?:\u200D[{_EMOJI_BASE}][{_EMOJI_MOD}]*)*"
    r"|[0-9#*]\uFE0F?\u20E3"  # keycaps 1️⃣
    r"|[\U0001F1E6-\U0001F1FF]{2})"  # flags
)

#: Kinds of text that never go to the model, most specific first; the group name is the kind.
PROTECTED = re.compile(
    "|".join(
        [
            # URLs: scheme or www., up to white space or a CJK character/full-width punctuation.
            rf"(?P<url>(?:https?://|www\.)[^\s{HAN}{CJK_PUNCTUATION}\uFF01-\uFF0F\uFF1A-\uFF20]+"
            r"(?<![.,;:!?)\]'\"]))",
            r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
            # Bare domains people paste from RedNote share links: xhslink.com/a1b2.
            r"(?P<domain>\b[\w-]+\.(?:com|cn|net|org|io|co|me|app|tv)(?:/[\w./%?=&#+-]*)?(?![\w.]))",
            rf"(?P<mention>(?<![\w@])@[\w{HAN}][\w{HAN}.\-]{{0,29}}(?<!\.))",
            # RedNote topic tags (#猫税[话题]#), Weibo tags (#话题#), plain #tags.
            rf"(?P<hashtag>#[^\s#\[\]]{{1,40}}\[话题\]#|#[^\s#]{{1,40}}#|#[\w{HAN}]+)",
            # RedNote's bracketed stickers: [笑哭R] [派对R] [doge].
            rf"(?P<sticker>\[[\w{HAN}]{{1,8}}R\]|\[doge\])",
            rf"(?P<emoji>{_EMOJI}+)",
            # Lone surrogates (from "\ud800" escapes in JSON, or broken input) are not text at all:
            # kept exactly where they are, never sent to a model, a tokenizer or the cache.
            r"(?P<invalid>[\ud800-\udfff]+)",
        ]
    )
)


def protected_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of every protected span of `text`, in order, never overlapping."""
    for match in PROTECTED.finditer(text):
        yield match.start(), match.end(), match.lastgroup or "symbols"
