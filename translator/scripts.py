"""Which characters belong to which writing system: the one home of every character range.

Each range is given twice, as the body of a regex character class (`HAN`, to build patterns
with) and as a predicate on one character (`is_han`), both derived from the same table, so a
pattern and a loop can never disagree about what counts as Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = [
    "CJK_PUNCTUATION",
    "CJK_WIDE",
    "FULL_WIDTH",
    "FULL_WIDTH_PUNCTUATION",
    "HAN",
    "HANGUL",
    "HAN_RUN",
    "KANA",
    "has_han",
    "is_cjk_wide",
    "is_han",
    "is_hangul",
    "is_kana",
]


#: Code points below this (the Basic Multilingual Plane) are looked up in a table.
_BMP = 0x10000


def _class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(chr(lo) if lo == hi else f"{chr(lo)}-{chr(hi)}" for lo, hi in ranges)


#: CJK ideographs: basic block, extension A, compatibility ideographs, the supplementary planes
#: (extensions B-H), and the ideographic zero 〇 that Chinese uses as a digit.
_HAN_RANGES = (
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)
#: Hiragana, katakana (without U+30FB middle dot and U+30FC prolonged mark, which Chinese text
#: uses too), katakana extensions and half-width katakana.
_KANA_RANGES = ((0x3041, 0x3096), (0x30A1, 0x30FA), (0x31F0, 0x31FF), (0xFF66, 0xFF9D))
#: Hangul syllables, jamo and compatibility jamo.
_HANGUL_RANGES = ((0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F))
#: CJK symbols and punctuation (、。「」【】〜).
_CJK_PUNCTUATION_RANGES = ((0x3000, 0x303F),)
#: Full-width and half-width forms (，！？：ｙｙｄｓ).
_FULL_WIDTH_RANGES = ((0xFF00, 0xFFEF),)
#: The punctuation among them (！，：？［］～ and the half-width ｡｢｣､･), without letters and digits.
_FULL_WIDTH_PUNCTUATION_RANGES = ((0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65))
#: Everything that sits in Chinese text without spaces around it: radicals, punctuation, kana,
#: ideographs, Hangul and full-width forms. Two such characters are joined with no space.
_CJK_WIDE_RANGES = ((0x2E80, 0x9FFF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))

HAN = _class(_HAN_RANGES)
#: What a regex's `\w` does not already match of HAN: Python's `\w` takes every assigned ideograph
#: of the Basic Multilingual Plane, but not the newest supplementary ones. `[\w{HAN_BEYOND_WORD}]`
#: is `[\w{HAN}]` for real text and compiles in a fraction of the time (no BMP range to expand).
HAN_BEYOND_WORD = _class(tuple(pair for pair in _HAN_RANGES if pair[0] >= _BMP))
KANA = _class(_KANA_RANGES)
HANGUL = _class(_HANGUL_RANGES)
CJK_PUNCTUATION = _class(_CJK_PUNCTUATION_RANGES)
FULL_WIDTH = _class(_FULL_WIDTH_RANGES)
FULL_WIDTH_PUNCTUATION = _class(_FULL_WIDTH_PUNCTUATION_RANGES)
CJK_WIDE = _class(_CJK_WIDE_RANGES)

#: A run of Chinese characters.
HAN_RUN = re.compile(f"[{HAN}]+")


def _membership(ranges: tuple[tuple[int, int], ...]) -> Callable[[str], bool]:
    """Whether a string's first character is in `ranges`, as a regex class of them would match it.

    A table of the Basic Multilingual Plane is filled by slices, in microseconds; compiling the
    same class with `re` walks each of its tens of thousands of code points in Python (about
    5 ms for the Han class, paid at every start)."""
    table = bytearray(_BMP)
    beyond = tuple((lo, hi) for lo, hi in ranges if hi >= _BMP)
    for lo, hi in ranges:
        top = min(hi, _BMP - 1)
        if lo <= top:
            table[lo : top + 1] = b"\x01" * (top + 1 - lo)

    def contains(char: str) -> bool:
        if not char:
            return False
        code = ord(char[0])
        if code < _BMP:
            return table[code] == 1
        return any(lo <= code <= hi for lo, hi in beyond)

    return contains


#: A Chinese character (Simplified or Traditional).
is_han = _membership(_HAN_RANGES)
is_kana = _membership(_KANA_RANGES)
is_hangul = _membership(_HANGUL_RANGES)
#: A character that joins its neighbours without a space in CJK text.
is_cjk_wide = _membership(_CJK_WIDE_RANGES)


def has_han(text: str) -> bool:
    return HAN_RUN.search(text) is not None
