"""The character predicates agree with the regex classes built from the same ranges, everywhere."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pytest

from translator import scripts

#: Every code point, lone surrogates included (they reach zhen from broken JSON).
EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


@pytest.mark.parametrize(
    ("body", "predicate"),
    [
        (scripts.HAN, scripts.is_han),
        (scripts.KANA, scripts.is_kana),
        (scripts.HANGUL, scripts.is_hangul),
        (scripts.CJK_WIDE, scripts.is_cjk_wide),
    ],
    ids=["han", "kana", "hangul", "cjk-wide"],
)
def test_a_predicate_holds_for_exactly_the_characters_its_class_matches(
    body: str, predicate: Callable[[str], bool]
) -> None:
    in_class = {match.start() for match in re.finditer(f"[{body}]", EVERY_CHARACTER)}
    in_predicate = {code for code, char in enumerate(EVERY_CHARACTER) if predicate(char)}
    assert in_predicate == in_class
    assert len(in_class) > 100  # the class is not empty by mistake


def test_a_predicate_reads_the_first_character_and_says_no_to_nothing() -> None:
    assert not scripts.is_han("")
    assert scripts.is_han("你a") and not scripts.is_han("a你")
    assert scripts.is_han("\U00020000")  # extension B, beyond the table
    assert not scripts.is_cjk_wide("")
    assert scripts.has_han("abc火锅") and not scripts.has_han("abc")


def test_word_characters_with_han_beyond_word_cover_every_assigned_ideograph() -> None:
    # `[\w{HAN_BEYOND_WORD}]` stands for `[\w{HAN}]` in the protected spans (hashtags, mentions):
    # it must match every ideograph real text can hold.
    word_or_han = re.compile(rf"[\w{scripts.HAN_BEYOND_WORD}]")
    assigned = (
        chr(code)
        for low, high in scripts._HAN_RANGES
        for code in range(low, high + 1)
        if unicodedata.category(chr(code)) != "Cn"
    )
    assert [char for char in assigned if not word_or_han.fullmatch(char)] == []
