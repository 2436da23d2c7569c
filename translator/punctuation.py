"""Chinese typography for model output.

OPUS-MT's tokenizers normalise text to NFKC, which folds full-width punctuation into ASCII, so
opus-mt-en-zh writes "星期一,斯坦福大学...分类:一个小的芯片" with ASCII commas and colons (its
FLORES output has 1,301 ASCII commas and no full-width ones). Chinese readers expect ，：！？（）,
so zh output gets them back wherever the mark sits next to Chinese text; numbers (1,000 and 9:30)
and Latin text keep ASCII.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .scripts import HAN as _HAN

_FULL_WIDTH = {",": "，", "!": "！", "?": "？", ":": "：", ";": "；"}
# A mark right after a Chinese character or closing bracket, not between two digits (1,000; 9:30).
_MARK_AFTER_HAN = re.compile(rf"(?<=[{_HAN}）”」])([,!?:;])(?!\d) ?")
# Chinese on the right is enough for commas and colons: "报导, 机场" -> "报导，机场".
_MARK_BEFORE_HAN = re.compile(rf"([,:;]) ?(?=[{_HAN}])")
_PARENTHESES = re.compile(r"\(([^()\n]*)\)")
_HAS_HAN = re.compile(rf"[{_HAN}]")


def chinese_punctuation(text: str) -> str:
    """Full-width marks where they touch Chinese text; everything else unchanged."""
    text = _MARK_AFTER_HAN.sub(lambda m: _FULL_WIDTH[m.group(1)], text)
    text = _MARK_BEFORE_HAN.sub(lambda m: _FULL_WIDTH[m.group(1)], text)
    return _PARENTHESES.sub(_parentheses, text)


def _parentheses(match: re.Match[str]) -> str:
    inner = match.group(1)
    before = match.string[match.start() - 1 : match.start()]
    if _HAS_HAN.search(inner) or _HAS_HAN.match(before):
        return f"（{inner}）"
    return match.group()


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    """Simplified -> Traditional (Taiwan standard), for when the user asks for Traditional output.

    opus-mt-en-zh's `>>cmn_Hant<<` token steers it towards Traditional characters but mixes in
    Simplified ones; OpenCC makes the output consistent.
    """
    return _converter("s2tw").convert(text)
