"""Senses: literal uses get no note and are never rewritten, unsure ones only "may mean",
Traditional text is matched like Simplified, and every built-in entry's own examples agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.linearity import LINEAR_BOUND, linear_ratio
from translator.glossary import Glossary, load_glossary
from translator.glossary.checks import entry_problems
from translator.glossary.matcher import normalise

FIXTURES = Path(__file__).parent / "data" / "glossary"
#: The built-in data, plus the fixture entries (based, Chinese notes for 绝绝子) as a user file.
GLOSSARY = load_glossary(user_file=FIXTURES / "senses.toml")
BUILTIN = load_glossary(user_file=None)

# (literal sentence, slang sentence, the term as written in both)
MINIMAL_PAIRS = [
    ("快递已经寄了", "考试寄了", "寄了"),
    ("打折后555元", "555太惨了", "555"),
    ("新买的NB 530", "这操作太nb了", "nb"),
    ("老铁路边上", "老铁666", "老铁"),
    ("前面有个加油站", "加油！", "加油"),
    ("我太太", "太太的图", "太太"),
    ("the fire department", "this song is fire", "fire"),
    ("based on a true story", "that's a based take", "based"),
    ("the new Nike SB Dunk", "你个sb", "sb"),
]


def notes_for(glossary: Glossary, text: str, term: str) -> list:
    """The notes from the entry that `term` is a spelling of ("based take" is a form of based)."""
    entry = glossary.lookup(term)
    return [note for note in glossary.find(text) if note.entry is entry]


@pytest.mark.parametrize(("literal", "slang", "term"), MINIMAL_PAIRS)
def test_a_literal_use_gets_no_note_and_is_sent_as_written(literal: str, slang: str, term: str) -> None:
    assert notes_for(GLOSSARY, literal, term) == []
    rewritten, rewrites = GLOSSARY.rewrite(literal)
    assert rewritten == literal and rewrites == []


@pytest.mark.parametrize(("literal", "slang", "term"), MINIMAL_PAIRS)
def test_the_slang_use_of_the_same_term_gets_its_note(literal: str, slang: str, term: str) -> None:
    (note,) = notes_for(GLOSSARY, slang, term)
    assert note.confidence == "clear" and note.reason
    assert normalise(term) in normalise(slang[note.start : note.end])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("打折后555元", "a number next to a price, unit or other digits"),
        ("坐520路公交", "a number next to a price, unit or other digits"),
        ("房间号1314", "a number next to a price, unit or other digits"),
        ("新买的NB 530", "part of a product or model name, or of an English phrase"),
        ("that yyds guy", "part of a product or model name, or of an English phrase"),
        ("nb", ""),
    ],
)
def test_general_rules_need_no_data(text: str, reason: str) -> None:
    (sense,) = GLOSSARY.senses(text)
    assert (sense.confidence, sense.reason) == (("literal", reason) if reason else ("clear", "unambiguous term"))


def test_a_term_cutting_through_a_longer_word_is_not_found_but_a_shorter_one_may_be() -> None:
    assert GLOSSARY.senses("老太太来了") == []
    assert [s.term for s in GLOSSARY.senses("冬天就想和朋友吃火锅")] == ["火锅"]


def test_an_ambiguous_term_without_slang_context_may_mean_and_is_never_rewritten() -> None:
    text = "上岸。"  # ambiguous (to land; to pass an exam), nothing around it says which
    (note,) = GLOSSARY.find(text)
    assert (note.confidence, note.reason) == ("possible", "ambiguous term, no slang_when rule matched")
    assert GLOSSARY.rewrite(text) == (text, [])
    clear = "考试寄了"
    rewritten, (rewrite,) = GLOSSARY.rewrite(clear)
    assert rewritten == "考试完了" and rewrite.reason.startswith("slang_when")


def test_rules_mark_the_term_with_a_tilde_outside_character_classes() -> None:
    from translator.glossary.senses import compile_rule

    rule = compile_rule("~了[。！!～~]*$")
    assert rule.before is None and rule.after is not None and rule.after.match("了。～")
    assert compile_rule("快递|包裹").anywhere is not None
    with pytest.raises(ValueError, match="more than one ~"):
        compile_rule("a~b~")


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("這家火鍋店 絕絕子", "这家火锅店 绝绝子"), ("考試寄了", "考试寄了"), ("被種草了", "被种草了")],
)
def test_traditional_text_gets_the_notes_of_simplified_text(traditional: str, simplified: str) -> None:
    def seen(text: str) -> list[tuple[str, int, int, str]]:
        return [(n.entry.term, n.start, n.end, n.confidence) for n in GLOSSARY.find(text)]

    assert seen(traditional) == seen(simplified) != []
    for note in GLOSSARY.find(traditional):
        assert traditional[note.start : note.end] == note.term


def test_a_rewrite_into_traditional_text_uses_traditional_characters() -> None:
    rewritten, (rewrite,) = GLOSSARY.rewrite("這次考試寄了，難過")
    assert rewritten == "這次考試完了，難過" and rewrite.term == "寄了"
    rewritten, _ = GLOSSARY.rewrite("我被這篇筆記種草了")
    assert rewritten == "我被這篇筆記推薦了"


def test_notes_in_the_readers_language() -> None:
    (english,) = GLOSSARY.find("这个妆容绝绝子")
    (chinese,) = GLOSSARY.find("这个妆容绝绝子", notes_in="zh")
    assert english.shown_meaning == english.meaning and english.reader == "en"
    assert chinese.shown_meaning == "绝了，太棒了" and chinese.shown_note.startswith("2021年")
    assert chinese.to_dict()["shown_meaning"] == "绝了，太棒了" and chinese.to_dict()["reader"] == "zh"
    (no_chinese,) = BUILTIN.find("老铁666")[:1]
    assert BUILTIN.find("老铁", notes_in="zh")[0].shown_meaning == no_chinese.meaning  # falls back to English


def test_note_and_sense_dicts_say_what_was_decided_and_why() -> None:
    (note,) = GLOSSARY.find("考试寄了")
    data = note.to_dict()
    assert data["confidence"] == "clear" and data["reason"].startswith("slang_when") and data["dated"] is False
    (sense,) = GLOSSARY.senses("快递已经寄了")
    assert sense.to_dict()["confidence"] == "literal" and sense.to_dict()["reason"].startswith("literal_when")


# Every built-in entry: its literal examples get no note from it, its example gets one.
@pytest.mark.parametrize("entry", BUILTIN.entries, ids=lambda entry: entry.source)
def test_builtin_entry_senses(entry) -> None:
    assert entry_problems(BUILTIN, entry) == []


# Each shape at a size where one search takes milliseconds, so that timer noise stays small.
TEXT_SHAPES = {
    "letters": lambda n: "x" * (n * 20),
    "chinese": lambda n: "好" * (n * 4),
    "terms": lambda n: ("yyds加油老铁666" * n)[:n],
    "words": lambda n: ("this song is fire " * n)[:n],
    "addresses": lambda n: ("yyds@example.com." * n)[:n],
    "traditional": lambda n: ("這家火鍋店絕絕子" * n)[:n],
}


@pytest.mark.parametrize("shape", TEXT_SHAPES)
def test_find_and_rewrite_take_linear_time(shape: str) -> None:
    GLOSSARY.find("加油")  # jieba loads once, outside the timing
    make = TEXT_SHAPES[shape]
    assert linear_ratio(make, GLOSSARY.find, 4_000) < LINEAR_BOUND
    assert linear_ratio(make, GLOSSARY.rewrite, 4_000) < LINEAR_BOUND
