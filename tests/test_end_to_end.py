"""The whole pipeline with real (tiny, memorised) MarianMT models on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.modelkit import EN_ZH_PAIRS, ZH_EN_PAIRS
from translator import Translator
from translator.cache import TranslationCache
from translator.punctuation import chinese_punctuation

BACKENDS = ["transformers", "ctranslate2"]


def make(store: Path, backend: str, **kwargs: object) -> Translator:
    return Translator(models_dir=store, backend=backend, cache=False, rewrite_slang=False, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", BACKENDS)
def test_memorised_sentences_both_directions(memorised_store: Path, backend: str) -> None:
    translator = make(memorised_store, backend)
    for source, expected in ZH_EN_PAIRS:
        assert translator.translate(source).text == expected
    for source, expected in EN_ZH_PAIRS:
        result = translator.translate(source)
        # The model writes ASCII marks (NFKC tokenizer); zhen gives Chinese readers full-width ones.
        assert (result.text, result.source, result.target) == (chinese_punctuation(expected), "en", "zh")
    assert translator.backend_for("zh", "en") == backend


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_whole_post_is_stitched_back_together(memorised_store: Path, backend: str) -> None:
    (hotpot, hotpot_en), (hello, hello_en) = ZH_EN_PAIRS[0], ZH_EN_PAIRS[1]
    post = f"{hotpot}{hello}\r\n\r\n#美食[话题]# @小红薯 😋👍🏽 https://xhslink.com/x1 OMG!"
    result = make(memorised_store, backend).translate(post)
    assert result.text == f"{hotpot_en} {hello_en}\r\n\r\n#美食[话题]# @小红薯 😋👍🏽 https://xhslink.com/x1 OMG!"
    assert result.counts == {"translated": 2, "cached": 0, "kept": 11}


def test_english_post_to_chinese_joins_sentences_without_spaces(memorised_store: Path) -> None:
    (hello, hello_zh), (see_you, see_you_zh) = EN_ZH_PAIRS[0], EN_ZH_PAIRS[7]
    result = make(memorised_store, "ctranslate2").translate(f"{hello} {see_you}")
    assert result.text == chinese_punctuation(f"{hello_zh}{see_you_zh}") == "你好！明天见！"


def test_both_backends_agree_at_every_beam(memorised_store: Path) -> None:
    sources = [source for source, _ in ZH_EN_PAIRS]
    for beam in (1, 4):
        outputs = {
            backend: [r.text for r in make(memorised_store, backend, beam_size=beam).translate_batch(sources)]
            for backend in BACKENDS
        }
        assert outputs["transformers"] == outputs["ctranslate2"]


def test_auto_backend_converts_once_and_says_so(memorised_store: Path, tmp_path: Path) -> None:
    import shutil

    store = tmp_path / "store"
    shutil.copytree(memorised_store / "opus-mt-zh-en", store / "opus-mt-zh-en")
    messages: list[str] = []
    translator = Translator(models_dir=store, cache=False, rewrite_slang=False, on_status=messages.append)
    source, expected = ZH_EN_PAIRS[1]
    assert translator.translate(source).text == expected
    assert translator.backend_for("zh", "en") == "ctranslate2"
    assert any("Converting opus-mt-zh-en" in m for m in messages)
    assert (store / "opus-mt-zh-en.ct2-int8" / "model.bin").is_file()
    messages.clear()
    Translator(models_dir=store, cache=False, on_status=messages.append).load("zh", "en")
    assert not any("Converting" in m for m in messages)


def test_cache_makes_the_second_run_free(memorised_store: Path, tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    sources = [source for source, _ in ZH_EN_PAIRS[:4]]
    first = Translator(models_dir=memorised_store, cache=cache, rewrite_slang=False).translate_batch(sources)
    second = Translator(models_dir=memorised_store, cache=cache, rewrite_slang=False).translate_batch(sources)
    assert [r.text for r in first] == [r.text for r in second]
    assert all(r.counts["cached"] == 1 and r.counts["translated"] == 0 for r in second)


def test_traditional_output_is_traditional_throughout(memorised_store: Path) -> None:
    source, _ = EN_ZH_PAIRS[3]  # "This hotpot is so delicious!"
    result = make(memorised_store, "ctranslate2", script="Hant").translate(source)
    from translator.punctuation import to_traditional

    assert result.text == to_traditional(result.text)
    assert "这" not in result.text and "锅" not in result.text


def test_a_translator_into_the_other_script_shares_the_model(memorised_store: Path) -> None:
    simplified = make(memorised_store, "ctranslate2")
    traditional = simplified.with_script("Hant")
    source, _ = EN_ZH_PAIRS[3]  # "This hotpot is so delicious!"
    hans, hant = simplified.translate(source, "zh").text, traditional.translate(source, "zh").text
    assert traditional.load("en", "zh") is simplified.load("en", "zh")  # one copy of the model
    assert (simplified.script, traditional.script) == ("Hans", "Hant")
    assert "锅" in hans and "鍋" in hant


def test_beam_and_script_change_the_cache_key(memorised_store: Path) -> None:
    translator = make(memorised_store, "ctranslate2")
    engine = translator.load("en", "zh")
    before = engine.cache_key("en", "zh", translator.decoding_options())  # type: ignore[call-arg]
    translator.script = "Hant"
    after_script = engine.cache_key("en", "zh", translator.decoding_options())  # type: ignore[call-arg]
    translator.beam_size = 1
    after_beam = engine.cache_key("en", "zh", translator.decoding_options())  # type: ignore[call-arg]
    assert len({before, after_script, after_beam}) == 3


def test_slang_is_rewritten_before_the_model_sees_it(memorised_store: Path) -> None:
    translator = Translator(models_dir=memorised_store, backend="ctranslate2", cache=False)
    result = translator.translate("这个面膜真的绝绝子！")
    rewritten = [s for s in result.segments if s.model_input is not None]
    assert rewritten and "绝绝子" not in (rewritten[0].model_input or "")
    assert [r.term for r in result.rewrites] == ["绝绝子"]
    assert any(note.term == "绝绝子" for note in result.notes)


def test_cli_translate_end_to_end(memorised_store: Path) -> None:
    from tests.test_cli import zhen

    source, expected = ZH_EN_PAIRS[0]
    result = zhen("translate", "--models-dir", str(memorised_store), "--no-cache", "--no-notes", source)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected + "\n"
