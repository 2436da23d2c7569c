"""Finding terms in text: longest match, no overlaps, word boundaries, case, addresses, offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translator.glossary import Glossary, load_glossary
from translator.glossary.matcher import fold

BUILTIN = sorted((Path(__file__).parent / "data" / "glossary" / "builtin").glob("*.toml"))
GLOSSARY = load_glossary(BUILTIN, user_file=None)


def found(text: str) -> list[tuple[str, int, int, str]]:
    return [(n.term, n.start, n.end, n.entry.term) for n in GLOSSARY.find(text)]


def test_latin_abbreviation_next_to_chinese() -> None:
    assert found("这家火锅yyds!") == [("yyds", 4, 8, "yyds")]


def test_a_variant_finds_its_entry_and_keeps_the_written_form() -> None:
    (note,) = GLOSSARY.find("真是永远的神")
    assert (note.term, note.start, note.end) == ("永远的神", 2, 6)
    assert note.entry.term == "yyds"
    assert (note.meaning, note.pinyin, note.category, note.register, note.lang) == (
        "the GOAT; the best ever",
        "yǒngyuǎn de shén",
        "abbreviation",
        "playful",
        "zh",
    )


def test_longest_match_wins_and_matches_do_not_overlap() -> None:
    assert found("被种草机种草了") == [("种草机", 1, 4, "种草机"), ("种草", 4, 6, "种草")]
    assert found("no cap, that's cap") == [("no cap", 0, 6, "no cap"), ("cap", 15, 18, "cap")]


def test_every_occurrence_in_text_order() -> None:
    assert [t for t, *_ in found("yyds绝绝子yyds")] == ["yyds", "绝绝子", "yyds"]


@pytest.mark.parametrize(
    "text",
    [
        "the capital of France",
        "see you at midnight",
        "a dragon slayer",
        "mid-century furniture",
        "recapture",
        "https://example.com/goat",
        "http://goat.example.org/slay?mid=1",
        "www.example.com/cap",
        "go to example.com/goat now",
        "mail me at goat@example.com",
        "ask @yyds about it",
        "@种草机 你好",
        "16666",
        "yydsyyds",
        "cap_table",
        "goats and sheep",
    ],
)
def test_no_match_inside_words_or_addresses(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("That movie was MID.", "MID"),
        ("(slay)", "slay"),
        ("Slay!", "Slay"),
        ("He is the GOAT", "GOAT"),
        ("ｙｙｄｓ", "ｙｙｄｓ"),
        ("it’s giving old money", "it’s giving"),
        ("我是I人", "I人"),
        ("这操作666!", "666"),
        ("#yyds#", "yyds"),
        ("它是mid的", "mid"),
    ],
)
def test_matches_on_word_boundaries_whatever_the_case(text: str, term: str) -> None:
    assert [t for t, *_ in found(text)] == [term]


def test_terms_after_an_address_are_still_found() -> None:
    assert found("https://example.com/a yyds") == [("yyds", 22, 26, "yyds")]
    assert found("@someone mid") == [("mid", 9, 12, "mid")]


def test_a_spelling_with_its_at_sign_matches_as_a_mention() -> None:
    assert found("@薯队长 我的笔记为什么被限流了") == [("@薯队长", 0, 4, "薯队长")]
    assert found("@薯队长的粉丝") == [("@薯队长", 0, 4, "薯队长")]
    assert found("问问薯队长") == [("薯队长", 2, 5, "薯队长")]


def test_offsets_survive_letters_whose_lowercase_is_longer() -> None:
    text = "İstanbul was mid"
    (note,) = GLOSSARY.find(text)
    assert text[note.start : note.end] == note.term == "mid"


def test_empty_inputs() -> None:
    assert GLOSSARY.find("") == []
    assert Glossary([]).find("yyds") == []
    assert Glossary([]).rewrite("yyds") == ("yyds", [])


def test_lookup() -> None:
    assert GLOSSARY.lookup("YYDS").term == "yyds"
    assert GLOSSARY.lookup("永远的神").term == "yyds"
    assert GLOSSARY.lookup(" no cap ").term == "no cap"
    assert GLOSSARY.lookup("yyd") is None


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("yyds", "yyds"),
        ("YY", "yyds"),
        ("永远", "yyds"),
        ("yongyuan de shen", "yyds"),
        ("yǒngyuǎn", "yyds"),
        ("zhong4 cao3", "种草"),
        ("zhongcaoji", "种草机"),
        ("cap", "cap"),
        ("greatest", "goat"),
        ("一般", "mid"),
    ],
)
def test_search_best_first(query: str, first: str) -> None:
    assert GLOSSARY.search(query)[0].term == first


def test_search_limits_and_empty_queries() -> None:
    # The exact term, then a term containing it, then a meaning containing it ("Captain Potato").
    assert [e.term for e in GLOSSARY.search("cap")] == ["cap", "no cap", "薯队长"]
    assert len(GLOSSARY.search("cap", limit=1)) == 1
    assert GLOSSARY.search("   ") == []
    assert GLOSSARY.search("no such thing") == []


def test_note_to_dict_is_json_ready() -> None:
    (note,) = GLOSSARY.find("这家火锅yyds")
    data = note.to_dict()
    assert data["term"] == "yyds" and (data["start"], data["end"]) == (4, 8)
    assert data["literal"] == "forever's god" and data["plain"] == "最棒"
    assert data["example"] == "这家火锅真的yyds！"
    assert "entry" not in data
    assert all(isinstance(v, (str, int)) for v in data.values())


# Pieces that build texts full of near-misses: terms, their parts, case and width changes,
# word characters glued on, addresses.
PIECES = [
    *(form for entry in GLOSSARY.entries for form in entry.forms),
    "YYDS", "ｙｙｄｓ", "No Cap", "it’s", "ital", "night", "er", "s", "1", "6", "_", "-", " ", "，",
    "种", "草", "机", "了", "https://", "www.", ".com/", "@", "e@x.cn", "İ",
]  # fmt: skip


@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_notes_point_at_their_terms_in_order(text: str) -> None:
    notes = GLOSSARY.find(text)
    end = 0
    for note in notes:
        assert text[note.start : note.end] == note.term
        assert note.start >= end  # in order, no overlaps
        end = note.end
        assert fold(note.term) in {fold(form) for form in note.entry.forms}
        if note.term[0].isascii() and note.term[0].isalnum():
            assert not (note.start and text[note.start - 1].isascii() and text[note.start - 1].isalnum())
        if note.term[-1].isascii() and note.term[-1].isalnum():
            assert not (note.end < len(text) and text[note.end].isascii() and text[note.end].isalnum())
