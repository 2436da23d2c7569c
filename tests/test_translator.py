"""The pipeline around the engine: detection, segmentation, direction, cache, invariants."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engines import CachingTaggingEngine, IdentityEngine, TaggingEngine
from tests.modelkit import ZH_EN_PAIRS
from translator import Translation, Translator
from translator.cache import TranslationCache
from translator.engines.options import DecodingOptions
from translator.errors import UsageError
from translator.glossary import Glossary
from translator.languages import UnsupportedLanguageError

EMPTY = Glossary(())


def identity_translator(**kwargs: object) -> Translator:
    return Translator(engine=IdentityEngine(), cache=False, glossary=EMPTY, **kwargs)  # type: ignore[arg-type]


SOCIAL_POSTS = [
    "这家店的火锅太好吃了！下次还来～\n\n#美食[话题]# #猫税[话题]# @小红薯123 😋👍🏽",
    "Line one\r\nLine two\r\n\r\n\tTabbed\u3000全角空格",
    "看这个 https://xhslink.com/a1B2c3，超级推荐!!! 价格¥199（打折后）。",
    "我们一家👨‍👩‍👧‍👦去了Costco，买了3箱水 🇺🇸 email me: me@example.com",
    "Hi everyone!! I'm new here 🙋‍♀️ from Ohio. 猫税 below 🐱\n#TikTokRefugee",
    "“你吃了吗？”他问。「还没呢」……",
    "",
    "   ",
    "2025年1月13日",
    "ＦＵＬＬ－ＷＩＤＴＨ ｔｅｘｔ，全角！",
]


@pytest.mark.parametrize("text", SOCIAL_POSTS)
def test_identity_engine_gives_back_the_text(text: str) -> None:
    assert identity_translator().translate(text).text == text


social_alphabet = st.sampled_from(
    [
        *"你好吃了吗的火锅。！？，、…“”「」（）《》\u3000 \t\n\r abcXYZ.,!?'\"-#@[]:/0123456789",
        "😂",
        "👍🏽",
        "👨\u200d👩\u200d👧",
        "🇨🇳",
        "1️⃣",
        "https://x.co/a?b=1",
        "@小红",
        "#猫税[话题]#",
        "e@x.io",
        "\r\n",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(social_alphabet, max_size=40).map("".join))
def test_identity_invariant_on_social_media_text(text: str) -> None:
    translator = identity_translator()
    for target in (None, "en", "zh"):
        assert translator.translate(text, target=target).text == text


@settings(max_examples=200)
@given(st.text())
def test_identity_invariant_on_any_text(text: str) -> None:
    try:
        result = identity_translator().translate(text, target="en")
    except UnsupportedLanguageError:
        return
    assert result.text == text


def test_segments_tile_original_and_translation() -> None:
    result = Translator(engine=TaggingEngine(), cache=False, glossary=EMPTY).translate("你好！今天吃火锅。😋")
    assert "".join(s.source for s in result.segments) == result.original
    assert "".join(s.text for s in result.segments) == result.text
    assert result.text == "en(你好！) en(今天吃火锅。)😋"
    assert (result.source, result.target) == ("zh", "en")


def test_mixed_post_keeps_parts_already_in_the_target_language() -> None:
    engine = TaggingEngine()
    result = Translator(engine=engine, cache=False, glossary=EMPTY).translate("太好吃了！ OMG I love it. 下次还来。")
    assert sorted(engine.sentences_seen) == sorted(["太好吃了！", "下次还来。"])
    kept = [s for s in result.segments if s.reason == "target-language"]
    assert [s.source for s in kept] == ["OMG I love it."]


def test_an_english_sentence_quoting_chinese_has_its_chinese_translated() -> None:
    # From a real README: the second sentence has more Latin words than Chinese characters.
    engine = TaggingEngine()
    translator = Translator(engine=engine, cache=False, glossary=EMPTY)
    result = translator.translate("每条边是自动触发的交接。支持 Claude Code、Copilot CLI 和 Codex。", "en")
    assert sorted(engine.sentences_seen) == sorted(["每条边是自动触发的交接。", "支持", "和"])
    assert result.text == "en(每条边是自动触发的交接。) en(支持) Claude Code、Copilot CLI en(和) Codex。"
    assert [s.source for s in result.segments if s.reason == "target-language"] == [
        " Claude Code、Copilot CLI ",
        " Codex。",
    ]


@pytest.mark.parametrize(
    "text", ["注：MARS = Mid-Atlantic Regional Spaceport", "约100km x 300km", "回车（carriage return）"]
)
def test_english_with_chinese_runs_comes_back_unchanged_from_the_identity_engine(text: str) -> None:
    # Spaces are mended only next to what the model changed.
    assert Translator(engine=IdentityEngine(), cache=False, glossary=EMPTY).translate(text, "en").text == text


def test_english_to_chinese_drops_spaces_between_translated_sentences() -> None:
    class ToChinese:
        def translate(self, segments: list[str], source: str, target: str) -> list[str]:
            return ["你好！" if s.startswith("Hello") else "谢谢。" for s in segments]

    result = Translator(engine=ToChinese(), cache=False, glossary=EMPTY).translate("Hello there! Thanks a lot.")
    assert result.text == "你好！谢谢。"
    assert result.target == "zh"


def test_forced_target_translates_only_the_other_language() -> None:
    engine = TaggingEngine()
    translator = Translator(engine=engine, cache=False, glossary=EMPTY)
    result = translator.translate("今天 great day", target="zh")
    assert engine.sentences_seen == []  # "今天 great day" is Chinese by script count: nothing to do
    assert result.text == "今天 great day"
    assert translator.translate("Great day!\n今天很开心", target="zh").text == "zh(Great day!)\n今天很开心"


def test_duplicates_are_translated_once_and_sorted_by_length() -> None:
    engine = TaggingEngine()
    translator = Translator(engine=engine, cache=False, glossary=EMPTY)
    results = translator.translate_batch(["好吃！好吃！", "太好吃了吧！", "好吃！"])
    assert engine.calls == [(["好吃！", "太好吃了吧！"], "zh", "en")]
    assert [r.text for r in results] == ["en(好吃！) en(好吃！)", "en(太好吃了吧！)", "en(好吃！)"]


def test_cache_serves_repeats_across_translators(tmp_path: Path) -> None:
    cache_path = tmp_path / "cache.sqlite3"
    first = Translator(engine=CachingTaggingEngine(), cache=TranslationCache(cache_path), glossary=EMPTY)
    assert first.translate("你好！").counts == {"translated": 1, "cached": 0, "kept": 0}
    engine = CachingTaggingEngine()
    second = Translator(engine=engine, cache=TranslationCache(cache_path), glossary=EMPTY)
    result = second.translate("你好！再见！")
    assert result.counts == {"translated": 1, "cached": 1, "kept": 0}
    assert engine.sentences_seen == ["再见！"]
    assert result.text == "en(你好！) en(再见！)"


def test_engines_without_cache_key_are_never_cached(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite3")
    engine = TaggingEngine()
    translator = Translator(engine=engine, cache=cache, glossary=EMPTY)
    translator.translate("你好！")
    translator.translate("你好！")
    assert len(engine.calls) == 2


def test_unsupported_languages_are_reported() -> None:
    translator = identity_translator()
    with pytest.raises(UnsupportedLanguageError, match="Japanese"):
        translator.translate("ありがとうございます")
    with pytest.raises(UnsupportedLanguageError, match="Korean"):
        translator.translate("안녕하세요")
    with pytest.raises(UnsupportedLanguageError):
        translator.translate("你好", target="fr")


def test_other_language_sentence_inside_a_post_is_kept() -> None:
    engine = TaggingEngine()
    result = Translator(engine=engine, cache=False, glossary=EMPTY).translate(
        "今天在东京玩得很开心，吃了很多好吃的，还买了很多纪念品！ありがとう。"
    )
    assert engine.sentences_seen == ["今天在东京玩得很开心，吃了很多好吃的，还买了很多纪念品！"]
    assert any(s.reason == "other-language" for s in result.segments)


def test_text_without_letters_needs_no_model() -> None:
    result = Translator(models_dir="/nonexistent", cache=False, glossary=EMPTY).translate("😂😂 666")
    assert result.text == "😂😂 666"
    assert result.counts["translated"] == 0


def test_bad_settings_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        Translator(backend="gpu")
    with pytest.raises(UsageError):
        Translator(beam_size=0)
    with pytest.raises(UsageError):
        Translator(script="Latn")  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        identity_translator().translate(None)  # type: ignore[arg-type]


def test_to_dict_is_json_ready() -> None:
    import json

    result = identity_translator().translate("你好 @bob")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["text"] == "你好 @bob"
    assert [s["status"] for s in data["segments"]] == ["translated", "kept", "kept"]
    assert isinstance(result, Translation)


def test_batch_jobs_can_skip_the_glossary() -> None:
    from translator.glossary import default_glossary

    translator = Translator(engine=IdentityEngine(), cache=False, glossary=default_glossary())
    assert translator.translate("这家火锅yyds").notes
    assert translator.translate_batch(["这家火锅yyds"], notes=False)[0].notes == ()


def test_loading_a_direction_opens_the_translation_cache_too(tmp_path: Path) -> None:
    """Creating the cache file took 70-100 ms of the TUI's first translation; a load pays it."""
    path = tmp_path / "translations.sqlite3"
    translator = Translator(engine=IdentityEngine(), cache=TranslationCache(path), glossary=EMPTY)
    translator.load("zh", "en")
    assert path.is_file()


@pytest.mark.slow
def test_settings_changed_mid_decode_never_file_an_output_under_the_wrong_key(
    memorised_store: Path, tmp_path: Path
) -> None:
    cache = TranslationCache(tmp_path / "race.sqlite3")
    translator = Translator(models_dir=memorised_store, backend="ctranslate2", cache=cache, glossary=EMPTY)
    engine = translator.load("zh", "en")
    decoding, go_on = threading.Event(), threading.Event()
    beams_used: list[int] = []
    generate_all = engine._generate_all  # type: ignore[attr-defined]

    def slow_generate_all(jobs: list, options: DecodingOptions) -> Iterator[list]:
        decoding.set()  # a TUI worker is now mid-decode...
        assert go_on.wait(10)
        beams_used.append(options.beam_size)
        yield from generate_all(jobs, options)

    engine._generate_all = slow_generate_all  # type: ignore[attr-defined]
    source, expected = ZH_EN_PAIRS[0]
    results: list[Translation] = []
    worker = threading.Thread(target=lambda: results.append(translator.translate(source, target="en")))
    worker.start()
    assert decoding.wait(30)
    translator.beam_size = 1  # ...when the user picks beam 1 in the palette
    go_on.set()
    worker.join(30)

    assert results[0].text == expected
    assert beams_used == [4]  # the call decodes with the settings it started with
    beam1 = translator.decoding_options()
    beam4 = dataclasses.replace(beam1, beam_size=4)
    assert cache.get_many(engine.cache_key("zh", "en", beam4), [source]) == {source: expected}
    assert cache.get_many(engine.cache_key("zh", "en", beam1), [source]) == {}


def test_one_untranslatable_post_does_not_fail_the_others() -> None:
    posts = ["今天天气很好。", "今日はいい天気ですね。", "我们去吃火锅吧！"]
    with pytest.raises(UnsupportedLanguageError):
        identity_translator().translate_batch(posts, target="en")

    results = Translator(engine=TaggingEngine(), cache=False, glossary=EMPTY).translate_batch(
        posts, target="en", errors="return"
    )
    assert [result.ok for result in results] == [True, False, True]
    assert results[0].text == "en(今天天气很好。)" and results[2].text == "en(我们去吃火锅吧！)"
    failed = results[1]
    assert failed.text == failed.original == posts[1]
    assert "Japanese" in failed.error and "\n" not in failed.error
    assert failed.to_dict()["error"] == failed.error


def test_a_direction_that_cannot_load_fails_only_its_own_texts(tmp_path: Path) -> None:
    translator = Translator(models_dir=tmp_path, cache=False, glossary=EMPTY)  # an empty store
    results = translator.translate_batch(["你好", "12345", "Hello"], target="en", errors="return")
    assert not results[0].ok and "opus-mt-zh-en" in results[0].error
    assert results[1].ok and results[1].text == "12345"  # nothing for a model: no model needed
    assert results[2].ok and results[2].text == "Hello"  # already English


def test_error_mode_is_checked() -> None:
    with pytest.raises(UsageError):
        identity_translator().translate_batch(["你好"], errors="ignore")  # type: ignore[arg-type]


def test_lone_surrogates_are_kept_and_never_reach_the_engine_or_cache(tmp_path: Path) -> None:
    engine = CachingTaggingEngine()
    translator = Translator(engine=engine, cache=TranslationCache(tmp_path / "c.sqlite3"), glossary=EMPTY)
    result = translator.translate("你好\ud800世界。", target="en")
    assert result.text == "en(你好)\ud800en(世界。)"
    assert all("\ud800" not in sentence for sentence in engine.sentences_seen)
