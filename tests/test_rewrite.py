"""Rewriting slang into plain words before translation, keeping where each term was."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from translator.glossary import Rewrite, load_glossary

BUILTIN = sorted((Path(__file__).parent / "data" / "glossary" / "builtin").glob("*.toml"))
GLOSSARY = load_glossary(BUILTIN, user_file=None)
CLEAR = "unambiguous term"


def test_latin_abbreviation_in_chinese() -> None:
    assert GLOSSARY.rewrite("这家火锅yyds！") == ("这家火锅最棒！", [Rewrite("yyds", "最棒", 4, 8, CLEAR)])


def test_variants_and_several_terms() -> None:
    text, rewrites = GLOSSARY.rewrite("我是i人，被种草了，永远的神")
    assert text == "我是内向的人，被推荐了，最棒"
    assert [(r.term, r.plain) for r in rewrites] == [("i人", "内向的人"), ("种草", "推荐"), ("永远的神", "最棒")]


def test_terms_without_a_plain_form_stay() -> None:
    assert GLOSSARY.rewrite("这个妆容绝绝子") == ("这个妆容绝绝子", [])
    # The longest match decides: 种草机 has no plain form, so its 种草 is not rewritten either.
    assert GLOSSARY.rewrite("种草机") == ("种草机", [])


def test_capital_at_the_start_of_a_sentence_is_kept() -> None:
    text, rewrites = GLOSSARY.rewrite("No cap, the pizza was mid.")
    assert text == "Honestly, the pizza was mediocre."
    assert rewrites == [Rewrite("No cap", "Honestly", 0, 6, CLEAR), Rewrite("mid", "mediocre", 22, 25, CLEAR)]


def test_capitals_inside_a_sentence_are_not_copied() -> None:
    # "MID" shouted mid-sentence is still "mediocre", not "Mediocre".
    assert GLOSSARY.rewrite("The pizza was MID. No Cap!")[0] == "The pizza was mediocre. Honestly!"


def test_nothing_inside_addresses_is_rewritten() -> None:
    text = "https://example.com/yyds @mid me@mid.com"
    assert GLOSSARY.rewrite(text) == (text, [])


@given(st.lists(st.sampled_from(["yyds", "种草", "No cap", "mid", "midnight", "绝绝子", " ", "好", "x"])).map("".join))
def test_offsets_index_the_input(text: str) -> None:
    rewritten, rewrites = GLOSSARY.rewrite(text)
    rebuilt, done = [], 0
    for rewrite in rewrites:
        assert text[rewrite.start : rewrite.end] == rewrite.term
        rebuilt += [text[done : rewrite.start], rewrite.plain]
        done = rewrite.end
    assert "".join(rebuilt) + text[done:] == rewritten
