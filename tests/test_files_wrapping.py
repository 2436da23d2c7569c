"""Subtitle lines broken by display width: Chinese characters take two columns."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.linearity import LINEAR_BOUND, linear_ratio
from translator.wrapping import width, wrap


def test_width_counts_wide_characters_twice() -> None:
    assert width("abc") == 3
    assert width("你好") == 4
    assert width("你好!") == 5
    assert width("，。！") == 6
    assert width("e\u0301") == 1  # a combining accent takes no room


def test_short_text_stays_on_one_line() -> None:
    assert wrap("你好！谢谢你的分享！", 32) == ["你好！谢谢你的分享！"]
    assert wrap("Thank you for sharing!", 42) == ["Thank you for sharing!"]


def test_chinese_is_wrapped_by_columns_not_characters() -> None:
    text = "你好!你在哪里买的?非常感谢!这个火锅太好吃了!"
    assert len(text) < 32 < width(text)
    # Two lines, broken after a question mark rather than between two characters of a word.
    assert wrap(text, 32) == ["你好!你在哪里买的?", "非常感谢!这个火锅太好吃了!"]


def test_english_breaks_at_spaces_into_even_lines() -> None:
    lines = wrap("Sisters, this face mask is absolutely amazing!", 42)
    assert lines == ["Sisters, this face mask", "is absolutely amazing!"]


def test_closing_punctuation_never_starts_a_line() -> None:
    text = "我今天去了上海的一家非常有名的火锅店吃饭味道真的很不错下次还要再来，好吗？"
    for columns in range(8, 40):
        for line in wrap(text, columns)[1:]:
            assert line[0] not in "，？"


def test_opening_quotes_stay_with_what_they_open() -> None:
    lines = wrap("他说“你好”然后走了，真的很奇怪啊啊啊啊啊啊", 20)
    assert all(not line.endswith("“") for line in lines)
    assert "".join(lines) == "他说“你好”然后走了，真的很奇怪啊啊啊啊啊啊"


@pytest.mark.parametrize("columns", [1, 4, 10])
def test_words_wider_than_the_limit_get_a_line_of_their_own(columns: int) -> None:
    lines = wrap("supercalifragilistic word", columns)
    assert lines[0] == "supercalifragilistic"
    assert " ".join(lines) == "supercalifragilistic word"


def test_mixed_text_keeps_latin_words_whole() -> None:
    lines = wrap("我在Costco买了这个面膜，真的太好用了推荐给大家", 20)
    assert any("Costco" in line for line in lines)
    assert all(width(line) <= 20 for line in lines)


@pytest.mark.parametrize(
    "make",
    [lambda n: "今天天气很好，" * n, lambda n: "the weather is fine today, " * n],
    ids=["chinese", "english"],
)
def test_wrapping_a_huge_text_is_linear(make: Callable[[int], str]) -> None:
    assert linear_ratio(make, lambda text: wrap(str(text), 42), 5_000) < LINEAR_BOUND
    lines = wrap(make(2_000), 42)
    assert all(width(line) <= 42 for line in lines)
