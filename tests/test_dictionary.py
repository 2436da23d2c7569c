"""Dictionary (gloss) mode: jieba words, word-level pinyin, CC-CEDICT senses, glossary terms whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.glossarykit import entry
from translator.dictionary import CEDICT_ATTRIBUTION, GlossItem, gloss
from translator.glossary import Glossary, load_glossary

BUILTIN = sorted((Path(__file__).parent / "data" / "glossary" / "builtin").glob("*.toml"))
GLOSSARY = load_glossary(BUILTIN, user_file=None)


def items(text: str) -> list[GlossItem]:
    result = gloss(text, GLOSSARY)
    # Items tile the text exactly, in order.
    assert "".join(item.text for item in result) == text
    position = 0
    for item in result:
        assert (item.start, text[item.start : item.end]) == (position, item.text)
        position = item.end
    return result


def item_for(text: str, word: str) -> GlossItem:
    (item,) = [i for i in items(text) if i.text == word]
    return item


def test_polyphone_read_by_word() -> None:
    bank = item_for("我去银行取钱", "银行")
    assert bank.pinyin == "yín háng"
    assert bank.kind == "word"
    assert "bank" in bank.definitions
    assert (bank.simplified, bank.traditional) == ("银行", "銀行")
    assert item_for("行", "行").pinyin == "xíng"


def test_definitions_follow_the_reading_and_are_few() -> None:
    particle = item_for("我吃了", "了")
    assert particle.pinyin == "le"
    assert particle.definitions[0] == "(completed action marker)"
    assert all(1 <= len(item.definitions) <= 3 for item in items("他们在讨论火锅") if item.kind == "word")


def test_traditional_text_is_read_through_simplified() -> None:
    bank = item_for("銀行", "銀行")
    assert (bank.simplified, bank.traditional, bank.pinyin) == ("银行", "銀行", "yín háng")
    assert "bank" in bank.definitions


def test_a_glossary_term_is_one_item_with_its_note() -> None:
    result = items("这家火锅yyds！")
    term = next(item for item in result if item.note is not None)
    assert (term.text, term.start, term.end, term.kind) == ("yyds", 4, 8, "latin")
    assert term.note.entry.term == "yyds"
    assert term.definitions == ("the GOAT; the best ever",)
    assert term.pinyin == "yǒngyuǎn de shén"
    chinese = item_for("真是永远的神", "永远的神")
    assert chinese.kind == "word" and chinese.note is not None
    assert chinese.traditional == "永遠的神"


def test_glossary_terms_win_over_jieba() -> None:
    # jieba alone cuts 种草机 as 种草 + 机.
    assert [i.text for i in items("她是种草机") if i.kind == "word"] == ["她", "是", "种草机"]
    assert [i.text for i in items("永遠的神") if i.note] == ["永遠的神"]


def test_words_missing_from_cedict_are_explained_by_their_parts() -> None:
    boss = item_for("银行行长", "银行行长")
    assert boss.definitions == ("银行: bank", "行长: bank president")
    assert boss.pinyin == "yín háng háng zhǎng"


def test_kinds_of_other_items() -> None:
    kinds = {item.text: item.kind for item in items("我 like 3.5 颗星！😂")}
    assert kinds == {"我": "word", " ": "space", "like": "latin", "3.5": "number", "颗": "word",
                     "星": "word", "！": "punct", "😂": "symbol"}  # fmt: skip


def test_english_text_gets_glossary_notes_and_chinese_equivalents() -> None:
    result = items("No cap, the hotpot is mid.")
    assert [(i.text, i.kind) for i in result if i.note] == [("No cap", "latin"), ("mid", "latin")]
    words = {i.text: i.definitions for i in result if i.note is None and i.kind == "latin"}
    # CC-CEDICT read in reverse: a Chinese reader gets Chinese words, the common ones first.
    assert words["hotpot"][0] == "火锅"
    assert words["the"] == ()  # no article in Chinese: nothing rather than a misleading 这
    assert 1 <= len(words["hotpot"]) <= 3


@pytest.mark.parametrize(("word", "chinese"), [("cat", "猫"), ("cats", "猫"), ("loved", "爱"), ("I", "我")])
def test_english_words_and_their_inflections_find_common_chinese_words(word: str, chinese: str) -> None:
    (item,) = [i for i in items(word) if i.kind == "latin"]
    assert item.definitions[0] == chinese


def test_items_are_json_ready() -> None:
    data = [item.to_dict() for item in items("这家火锅yyds")]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data[-1]["note"]["term"] == "yyds"
    assert data[0]["note"] is None


TEST_GLOSSARY = Glossary(
    [
        entry("猫税", "zh", "posting a pet photo", pinyin="māoshuì", variants=("交猫税",)),
        entry("小红薯", "zh", "Xiaohongshu users", pinyin="xiǎo hóng shǔ"),
        entry("火锅", "zh", "hotpot", pinyin="huǒguō"),
    ]
)


def test_glossary_terms_read_one_syllable_per_character_like_other_words() -> None:
    result = {i.text: i for i in gloss("交猫税的火锅", TEST_GLOSSARY) if i.kind == "word"}
    assert result["交猫税"].pinyin == "jiāo māo shuì"  # the variant's own reading, not 猫税's
    assert result["火锅"].pinyin == "huǒ guō"  # written "huǒguō" in the glossary
    assert result["的"].pinyin == "de"


def test_a_mention_of_a_glossary_term_is_looked_up_whole() -> None:
    words = [(i.text, i.note is not None) for i in gloss("@小红薯 你好", TEST_GLOSSARY) if i.kind == "word"]
    assert words[0] == ("小红薯", True)


def test_a_glossary_term_keeps_its_cc_cedict_senses() -> None:
    (hotpot,) = [i for i in gloss("火锅", TEST_GLOSSARY) if i.note]
    assert hotpot.definitions == ("hotpot",)
    assert "hotpot" in hotpot.senses


def test_pronunciation_remarks_are_cut_from_senses() -> None:
    senses = item_for("听", "听").definitions + item_for("从", "从").definitions
    assert not [sense for sense in senses if "pr." in sense or "()" in sense]
    assert gloss("和")[0].definitions[0] == "(joining two nouns) and; together with; with"


def test_attribution() -> None:
    assert "CC-CEDICT" in CEDICT_ATTRIBUTION and "CC BY-SA 4.0" in CEDICT_ATTRIBUTION


def test_pinyin_lines_read_words_together_line_by_line() -> None:
    from translator.dictionary import pinyin_lines

    # jieba's dictionary has 吃火锅 as one word (火锅 here is plain hotpot, no glossary note).
    assert pinyin_lines("我们去吃火锅吧！\nOK 你好\n\nhello") == ("wǒmen qù chīhuǒguō ba!", "OK nǐhǎo", "", "")


def test_dictionary_mode_segments_with_the_glossarys_jieba() -> None:
    from translator import dictionary
    from translator.glossary import words

    gloss("老铁路边上等你", GLOSSARY)
    assert dictionary._resources().tokenizer is words.plain_jieba()


@pytest.mark.parametrize("glossary_first", [True, False], ids=["glossary-first", "dictionary-first"])
def test_one_jieba_load_and_glossary_terms_stay_out_of_dictionary_mode(glossary_first: bool) -> None:
    import jieba

    from translator.glossary.words import _OneJieba

    jiebas = _OneJieba()
    if glossary_first:
        jiebas.add_words(["铁路边", "老铁路边", "火锅"])  # new words, a new prefix, a known word
    plain = jiebas.for_dictionary()
    jiebas.add_words(["上等你"])
    glossary = jiebas.for_glossary()
    reference = jieba.Tokenizer()
    reference.initialize()
    assert (plain.FREQ, plain.total) == (reference.FREQ, reference.total)
    assert all(glossary.FREQ.get(term) for term in ("上等你", *(["铁路边", "老铁路边"] if glossary_first else [])))
    assert plain is not glossary and plain.FREQ._trie is glossary.FREQ._trie  # one dictionary in memory
