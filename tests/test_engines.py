"""The MarianMT engines, their options, the repetition guard and the CTranslate2 conversion."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.modelkit import EN_ZH_PAIRS, ZH_EN_PAIRS, default_corpus
from translator.engines import CacheableEngine, TokenCountingEngine
from translator.engines.convert import convert_to_ctranslate2, converted_dir_name, ctranslate2_available
from translator.engines.ctranslate2_engine import CTranslate2Engine, thread_split
from translator.engines.marian_base import _batches
from translator.engines.options import DecodingOptions
from translator.engines.repetition import output_token_cap, trim_repetition
from translator.engines.transformers_engine import TransformersEngine, quiet_transformers
from translator.errors import (
    BackendUnavailableError,
    ModelBrokenError,
    ModelNotFoundError,
    UsageError,
)
from translator.languages import MODELS, UnsupportedLanguageError
from translator.modelfolder import CONVERSION_INFO, read_conversion_info
from translator.settings import thread_count

ZH_EN, EN_ZH = MODELS[("zh", "en")], MODELS[("en", "zh")]
REPO = Path(__file__).resolve().parents[1]

# -- options ---------------------------------------------------------------------------------


def test_options_key_names_what_changes_outputs() -> None:
    options = DecodingOptions()
    assert options.key() == "beam=4,script=Hans,ratio=2"
    assert dataclasses.replace(options, max_batch_tokens=64).key() == options.key()
    keys = {
        dataclasses.replace(options, **change).key()
        for change in ({}, {"beam_size": 1}, {"script": "Hant"}, {"max_length_ratio": 1.5})
    }
    assert len(keys) == 4


@pytest.mark.parametrize(
    "change",
    [{"beam_size": 0}, {"beam_size": 2.5}, {"script": "Latn"}, {"max_length_ratio": 0}, {"max_batch_tokens": 0}],
)
def test_bad_options_are_usage_errors(change: dict) -> None:
    with pytest.raises(UsageError):
        DecodingOptions(**change)


def test_threads_default_to_all_cores_and_obey_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHEN_THREADS", raising=False)
    assert thread_count() == (os.cpu_count() or 1)
    monkeypatch.setenv("ZHEN_THREADS", "1")
    assert thread_count() == 1
    monkeypatch.setenv("ZHEN_THREADS", "lots")
    with pytest.raises(UsageError, match="ZHEN_THREADS"):
        thread_count()


# -- repetition guard ------------------------------------------------------------------------


def test_output_cap_grows_with_the_input_up_to_the_model_limit() -> None:
    assert output_token_cap(5, 2.0) == 20
    assert output_token_cap(7, 1.5) == 21  # ceil(10.5) + 10
    assert output_token_cap(400, 2.0) == 512
    assert output_token_cap(100, 2.0, limit=128) == 128


@pytest.mark.parametrize(
    "text",
    [
        "哈哈哈",
        "哈哈哈哈哈哈，笑死我了",
        "very very good",
        "666",
        "6666666",
        "Ha ha ha ha",
        "Bye bye!",
        "It costs 100000000 yuan.",
        "Wait......",
        "谢谢谢谢",
        "No no no, that is not what I meant.",
        "",
        "   spaced       out   ",
        "The hotpot at this restaurant is so delicious!",
    ],
)
def test_legitimate_repetition_survives(text: str) -> None:
    assert trim_repetition(text) == text


@pytest.mark.parametrize(
    ("loop", "kept"),
    [
        ("the the the the the the the the the the the the", "the"),
        ("He said the the the the the the the the.", "He said the."),
        ("我的我的我的我的我的我的我的我的我的我的我的", "我的"),
        (
            "I don't know what to do, I don't know what to do, I don't know what to do, I don't kn",
            "I don't know what to do",
        ),
        ("这是一个很好的问题。这是一个很好的问题。这是一个很好的问题。这是", "这是一个很好的问题。"),
        ("No, no, no, no, no, no, no, no, no, no", "No"),
        ("No, no, no, no, no, no, I will not.", "No, I will not."),
        ("Thank you you you you you you you you you", "Thank you"),
        ("Hahahahahahahahahahahahahahaha", "Ha"),
        ("好的，，，，，，，，，，，，", "好的"),
        ("the the the the the the theory", "the theory"),
        ("只有高轮基四轮四轮四轮四轮四轮四轮四轮四轮四轮四轮四轮四轮。", "只有高轮基四轮。"),
        # Loops side by side, each run taking in a character of its neighbour (a random-weight
        # model's output on a FLORES sentence; folded, "ITEM " meets the "i" of the next word).
        ("ITEM " * 7 + "interdependence " * 37 + "在该 " * 44, "ITEM interdependence 在该"),
        ("哈哈哈哈哈哈哈哈哈哈 ha ha ha ha ha ha ha ha ha", "哈 ha"),
    ],
)
def test_loops_are_cut_to_their_first_occurrence(loop: str, kept: str) -> None:
    assert trim_repetition(loop) == kept


def test_repetition_in_the_source_is_allowed_in_the_output() -> None:
    laughing = "Ha ha ha ha ha ha ha ha ha ha ha ha"
    assert trim_repetition(laughing, "哈哈哈哈哈哈哈哈哈哈哈哈") == laughing
    assert trim_repetition(laughing) == "Ha"
    # ...but not a runaway loop far beyond it.
    assert trim_repetition("Ha " * 40, "哈哈哈哈哈哈哈哈哈哈哈哈") == "Ha"


def test_real_opus_mt_outputs_lose_only_their_loops(flores_zh: list[str], flores_en: list[str]) -> None:
    shared = REPO.parent / "shared" / "data" / "flores"
    outputs = {
        "zh-en": ((shared / "zh-en.flores-dev.opusmt.en").read_text(encoding="utf-8").splitlines(), flores_zh),
        "en-zh": ((shared / "en-zh.flores-dev.opusmt.zh").read_text(encoding="utf-8").splitlines(), flores_en),
    }
    changed = []
    for translations, sources in outputs.values():
        for translation, source in zip(translations, sources, strict=True):
            trimmed = trim_repetition(translation, source)
            if trimmed != translation:
                changed.append((translation, trimmed))
    # Of 1994 real outputs, exactly two are runaway loops ("折成一个折成一个...", "四轮四轮...").
    assert len(changed) == 2
    for translation, trimmed in changed:
        assert len(trimmed) < len(translation) // 4 and trimmed[:30] == translation[:30]


# -- batching --------------------------------------------------------------------------------


def test_batches_respect_the_token_budget_and_cover_every_item() -> None:
    lengths = [3, 50, 7, 7, 120, 1, 30, 30, 30]
    batches = list(_batches(list(range(len(lengths))), lengths, 100))
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    for batch in batches:
        longest = max(lengths[i] for i in batch)
        assert len(batch) == 1 or longest * len(batch) <= 100
    assert [4] in batches  # longer than the budget: alone


# -- conversion ------------------------------------------------------------------------------


def test_converted_dir_name_is_the_store_convention() -> None:
    assert converted_dir_name(ZH_EN) == "opus-mt-zh-en.ct2-int8"
    assert converted_dir_name(EN_ZH, "float32") == "opus-mt-en-zh.ct2-float32"
    assert ctranslate2_available()


def copy_model(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def test_conversion_is_self_contained_and_recorded(tmp_path: Path, tiny_model_dir: Path) -> None:
    model = copy_model(tiny_model_dir, tmp_path / "opus-mt-zh-en")
    (model / "zhen-model.json").write_text(json.dumps({"revision": "abc123"}), encoding="utf-8")
    out = convert_to_ctranslate2(model, tmp_path / "opus-mt-zh-en.ct2-int8")
    for name in ("model.bin", "source.spm", "target.spm", "vocab.json", "tokenizer_config.json"):
        assert (out / name).is_file(), name
    info = read_conversion_info(out)
    assert info is not None
    assert info["quantization"] == "int8" and info["revision"] == "abc123"
    assert info["source_model"] == str(model.resolve()) and info["ctranslate2_version"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opus-mt-zh-en", "opus-mt-zh-en.ct2-int8"]

    # A finished conversion is kept; `force` makes a new one (in a fresh folder, swapped in).
    marker = out / "marker"
    marker.touch()
    assert convert_to_ctranslate2(model, out) == out and marker.exists()
    convert_to_ctranslate2(model, out, force=True)
    assert not marker.exists() and read_conversion_info(out) is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opus-mt-zh-en", "opus-mt-zh-en.ct2-int8"]


def test_unfinished_conversion_is_redone(tmp_path: Path, tiny_model_dir: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "model.bin").write_bytes(b"half")  # no zhen-conversion.json: interrupted
    convert_to_ctranslate2(tiny_model_dir, out, "float32")
    assert read_conversion_info(out)["quantization"] == "float32"  # type: ignore[index]


def test_conversion_problems_are_zhen_errors(tmp_path: Path, tiny_model_dir: Path) -> None:
    with pytest.raises(UsageError, match="quantization"):
        convert_to_ctranslate2(tiny_model_dir, tmp_path / "out", "int4")
    with pytest.raises(ModelNotFoundError, match=str(tmp_path / "nowhere")):
        convert_to_ctranslate2(tmp_path / "nowhere", tmp_path / "out")
    model = copy_model(tiny_model_dir, tmp_path / "model")
    (model / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelBrokenError, match="cannot convert"):
        convert_to_ctranslate2(model, tmp_path / "out")
    (model / "vocab.json").unlink()
    with pytest.raises(ModelBrokenError, match=r"vocab\.json"):
        convert_to_ctranslate2(model, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # no temporary folders left


# -- engines on memorised models ---------------------------------------------------------------


@pytest.fixture(scope="module")
def converted(memorised_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """int8 CTranslate2 copies of the memorised models, outside the shared fixture store."""
    root = tmp_path_factory.mktemp("ct2")
    return {
        spec.pair: convert_to_ctranslate2(memorised_store / spec.name, root / converted_dir_name(spec))
        for spec in (ZH_EN, EN_ZH)
    }


def engine(backend: str, spec, memorised_store: Path, converted: dict[str, Path], **options):
    opts = DecodingOptions(**options)
    if backend == "ctranslate2":
        return CTranslate2Engine(converted[spec.pair], spec, opts, revision="r1")
    return TransformersEngine(memorised_store / spec.name, spec, opts, revision="r1", quantize=backend == "int8")


BACKENDS = ["ctranslate2", "int8", "float32"]  # the last two: TransformersEngine quantized or not


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("beam_size", [1, 4])
def test_memorised_pairs_come_back_exactly(memorised_store: Path, converted, backend: str, beam_size: int) -> None:
    for spec, pairs in ((ZH_EN, ZH_EN_PAIRS), (EN_ZH, EN_ZH_PAIRS)):
        model = engine(backend, spec, memorised_store, converted, beam_size=beam_size)
        sources = [source for source, _ in pairs]
        assert model.translate(sources, spec.source, spec.target) == [target for _, target in pairs]


@pytest.mark.parametrize("backend", ["ctranslate2", "float32"])
def test_output_order_does_not_depend_on_batching(memorised_store: Path, converted, backend: str) -> None:
    sources = [source for source, _ in ZH_EN_PAIRS][::-1]
    whole = engine(backend, ZH_EN, memorised_store, converted)
    tiny_batches = engine(backend, ZH_EN, memorised_store, converted, max_batch_tokens=8)
    expected = [dict(ZH_EN_PAIRS)[source] for source in sources]
    assert whole.translate(sources, "zh", "en") == expected
    assert tiny_batches.translate(sources, "zh", "en") == expected


@pytest.mark.parametrize("backend", ["ctranslate2", "float32"])
def test_blank_segments_need_no_model(memorised_store: Path, converted, backend: str) -> None:
    model = engine(backend, ZH_EN, memorised_store, converted)
    assert model.translate([], "zh", "en") == []
    assert model.translate(["", "  ", "你好！"], "zh", "en") == ["", "", "Hello!"]


@pytest.mark.parametrize("backend", ["ctranslate2", "int8"])
def test_engine_protocols_counts_and_keys(memorised_store: Path, converted, backend: str) -> None:
    from transformers import MarianTokenizer

    model = engine(backend, EN_ZH, memorised_store, converted)
    assert isinstance(model, TokenCountingEngine) and isinstance(model, CacheableEngine)
    assert model.max_positions == 512
    with quiet_transformers():
        reference = MarianTokenizer.from_pretrained(memorised_store / EN_ZH.name)
    for text in ("Hello!", "Nice to meet you.", "x"):
        assert model.count_tokens(text, "en", "zh") == len(reference(f">>cmn_Hans<< {text}").input_ids)

    key = model.cache_key("en", "zh")
    variant = "int8" if backend == "ctranslate2" else "int8-dynamic"
    assert key == f"opus-mt-en-zh@r1|{model.backend}:{variant}|beam=4,script=Hans,ratio=2"
    # Options given with a call decide the script token and the key; the engine keeps its own.
    traditional = dataclasses.replace(model.options, script="Hant")
    assert model.cache_key("en", "zh", traditional) != key and "script=Hant" in model.cache_key("en", "zh", traditional)
    assert model._encode("Hello!", traditional)[0] in (">>cmn_Hant<<", reference.convert_tokens_to_ids(">>cmn_Hant<<"))
    assert model.cache_key("en", "zh") == key


@pytest.mark.parametrize("backend", ["ctranslate2", "float32"])
def test_wrong_direction_is_refused(memorised_store: Path, converted, backend: str) -> None:
    model = engine(backend, ZH_EN, memorised_store, converted)
    with pytest.raises(UnsupportedLanguageError):
        model.translate(["Hello"], "en", "zh")
    with pytest.raises(UnsupportedLanguageError):
        model.count_tokens("Hello", "en", "zh")
    with pytest.raises(UnsupportedLanguageError):
        model.cache_key("zh", "ja")


# -- engines on the random tiny model -----------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_float32(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return convert_to_ctranslate2(tiny_model_dir, tmp_path_factory.mktemp("tiny") / "ct2", "float32")


def test_backends_agree_on_random_weights_with_greedy_search(tiny_model_dir: Path, tiny_float32: Path) -> None:
    # Random weights never stop by themselves: every output runs to its cap, so this checks the
    # caps, the <pad> ban and the start token as well as the search itself.
    options = DecodingOptions(beam_size=1, max_length_ratio=1.0)
    ours = CTranslate2Engine(tiny_float32, ZH_EN, options)
    reference = TransformersEngine(tiny_model_dir, ZH_EN, options, quantize=False)
    # 齉龘: pieces the tiny vocabulary lacks, which CTranslate2 gets as they are and maps to <unk>.
    sources = [*default_corpus()[::7], "你好", "x", "齉龘你好"]
    assert ours.translate(sources, "zh", "en") == reference.translate(sources, "zh", "en")


def test_outputs_stop_at_their_own_cap(tiny_float32: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = CTranslate2Engine(tiny_float32, ZH_EN, DecodingOptions(beam_size=1, max_length_ratio=1.0))
    decoded: list[int] = []
    decode = model._decode
    monkeypatch.setattr(model, "_decode", lambda tokens: decoded.append(len(tokens)) or decode(tokens))
    sources = ["你好", "这家店的火锅太好吃了！今天我们去上海逛街吧。"]
    model.translate(sources, "zh", "en")
    assert decoded == [model.count_tokens(s, "zh", "en") + 10 for s in sources]


@pytest.mark.parametrize("threads", ["2", "3"])
@pytest.mark.parametrize("budget", [64, 4096], ids=["many-batches", "one-batch-cut-per-worker"])
def test_batches_decoded_side_by_side_give_the_outputs_of_one_worker(
    tiny_float32: Path, monkeypatch: pytest.MonkeyPatch, threads: str, budget: int
) -> None:
    # Many batches are decoded side by side, one batch alone is cut into one part per worker:
    # either way every output must be what a single worker decodes, in input order.
    options = DecodingOptions(beam_size=4, max_batch_tokens=budget, max_batch_rows=4096)
    sources = [*default_corpus()[:12], "你好", "", "x", *default_corpus()[:12:-3]]
    monkeypatch.setenv("ZHEN_THREADS", "1")
    alone = CTranslate2Engine(tiny_float32, ZH_EN, options)
    monkeypatch.setenv("ZHEN_THREADS", threads)
    together = CTranslate2Engine(tiny_float32, ZH_EN, options)
    assert (alone.workers, together.workers) == (1, int(threads))
    assert together.translate(sources, "zh", "en") == alone.translate(sources, "zh", "en")


#: One `translate_batch` call: its inputs, its settings and its results.
Call = tuple[list[list[str]], dict[str, Any], Any]


class Recording:
    """A `ctranslate2.Translator` that notes every `translate_batch` call in `calls`."""

    def __init__(self, real: Any, calls: list[Call]) -> None:
        self._real, self._calls = real, calls

    def translate_batch(self, inputs: list[list[str]], **settings: Any) -> Any:
        results = self._real.translate_batch(inputs, **settings)
        self._calls.append((inputs, settings, results))
        return results

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def test_the_batches_with_the_most_work_are_queued_first(tiny_float32: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Queued in length order, the longest batches would be decoded last, by one worker alone.
    monkeypatch.setenv("ZHEN_THREADS", "2")
    engine = CTranslate2Engine(tiny_float32, ZH_EN, DecodingOptions(beam_size=2, max_batch_rows=4))
    sources = sorted(default_corpus()[:16], key=len)
    expected = engine.translate(sources, "zh", "en")
    calls: list[Call] = []
    engine._translator = Recording(engine._translator, calls)
    assert engine.translate(sources, "zh", "en") == expected
    queued = [len(inputs) * (max(map(len, inputs)) + settings["max_decoding_length"]) for inputs, settings, _ in calls]
    assert len(queued) > 2
    assert queued == sorted(queued, reverse=True)


@pytest.mark.parametrize(("threads", "interactive"), [("2", False), ("2", True), ("1", False)])
def test_loading_runs_the_model_once_on_every_worker(
    tiny_float32: Path, monkeypatch: pytest.MonkeyPatch, threads: str, interactive: bool
) -> None:
    # The warm-up must really decode: CTranslate2 answers a source of </s> alone with an empty
    # output without running the model, which left the first text a person waits for to pay
    # for the process's first decode.
    import ctranslate2

    calls: list[Call] = []
    real_translator = ctranslate2.Translator
    monkeypatch.setattr(
        ctranslate2, "Translator", lambda *args, **settings: Recording(real_translator(*args, **settings), calls)
    )
    monkeypatch.setenv("ZHEN_THREADS", threads)
    engine = CTranslate2Engine(tiny_float32, ZH_EN, DecodingOptions(beam_size=4, interactive=interactive))
    # Loading waits for the warm-up's results; translations are queued (asynchronous).
    decoded = [result.hypotheses[0] for _, _, results in calls for result in results]
    assert len(decoded) == engine.workers
    assert all(len(output) == 1 for output in decoded)
    monkeypatch.setattr(ctranslate2, "Translator", real_translator)
    # Warmed-up engines in another thread layout translate alike.
    default = CTranslate2Engine(tiny_float32, ZH_EN)
    assert engine.translate(["你好"], "zh", "en") == default.translate(["你好"], "zh", "en")


@pytest.mark.parametrize(
    ("threads", "split"), [(1, (1, 1)), (2, (2, 1)), (3, (3, 1)), (4, (4, 1)), (8, (4, 2)), (16, (4, 4))]
)
def test_thread_budget_goes_to_parallel_batches_first(threads: int, split: tuple[int, int]) -> None:
    assert thread_split(threads) == split


@pytest.mark.parametrize(
    ("threads", "split"), [(1, (1, 1)), (2, (1, 2)), (3, (1, 3)), (4, (1, 4)), (8, (2, 4)), (16, (4, 4)), (64, (4, 16))]
)
def test_interactive_thread_budget_goes_to_each_batch_first(threads: int, split: tuple[int, int]) -> None:
    assert thread_split(threads, interactive=True) == split


def test_interactive_engines_decode_each_batch_on_every_thread_with_the_same_outputs(
    tiny_float32: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHEN_THREADS", "2")
    sentences = ["今天我们去上海逛街吧。", "你好", "这家火锅店太好吃了", "我们明天见"]
    batch = CTranslate2Engine(tiny_float32, ZH_EN, DecodingOptions(beam_size=2))
    interactive = CTranslate2Engine(tiny_float32, ZH_EN, DecodingOptions(beam_size=2, interactive=True))
    assert (batch.workers, interactive.workers) == (2, 1)
    assert (batch._translator.num_translators, interactive._translator.num_translators) == (2, 1)
    assert interactive.translate(sentences, "zh", "en") == batch.translate(sentences, "zh", "en")
    assert interactive.cache_key("zh", "en") == batch.cache_key("zh", "en")


def test_over_long_input_is_cut_not_crashed(tiny_model_dir: Path, tiny_float32: Path) -> None:
    # The Translator splits long sentences first; this is the engines' own safety net.
    options = DecodingOptions(beam_size=1, max_length_ratio=0.5)
    text = "今天我们去上海逛街吧。" * 120
    for model in (CTranslate2Engine(tiny_float32, ZH_EN, options), TransformersEngine(tiny_model_dir, ZH_EN, options)):
        assert model.count_tokens(text, "zh", "en") > model.max_positions
        assert len(model.translate([text], "zh", "en")) == 1


def test_torch_free_ctranslate2_path(tiny_float32: Path) -> None:
    script = f"""
import sys
from pathlib import Path
from translator.engines.ctranslate2_engine import CTranslate2Engine
from translator.engines.options import DecodingOptions
from translator.languages import MODELS, UnsupportedLanguageError
engine = CTranslate2Engine(Path({str(tiny_float32)!r}), MODELS[("zh", "en")], DecodingOptions(max_length_ratio=0.5))
assert len(engine.translate(["你好", "谢谢"], "zh", "en")) == 2
heavy = [name for name in ("torch", "transformers") if name in sys.modules]
assert not heavy, heavy
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


# -- broken model folders ------------------------------------------------------------------------


def test_missing_folders_are_model_not_found(tmp_path: Path) -> None:
    for build in (TransformersEngine, CTranslate2Engine):
        with pytest.raises(ModelNotFoundError, match=str(tmp_path / "gone")):
            build(tmp_path / "gone", ZH_EN)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda d: (d / "model.safetensors").unlink(), "no weights"),
        (lambda d: (d / "model.safetensors").write_bytes(b"\0" * 64), "transformers cannot load it"),
        (lambda d: (d / "config.json").unlink(), "config.json is missing"),
        (
            lambda d: (d / "tokenizer_config.json").write_text('{"source_lang": "eng", "target_lang": "zho"}'),
            "en to zh",
        ),
    ],
)
def test_broken_transformers_folders(tmp_path: Path, tiny_model_dir: Path, damage, problem: str) -> None:
    folder = copy_model(tiny_model_dir, tmp_path / "opus-mt-zh-en")
    damage(folder)
    with pytest.raises(ModelBrokenError) as caught:
        TransformersEngine(folder, ZH_EN)
    assert str(folder) in str(caught.value) and problem in str(caught.value)


def test_truncated_weights_are_refused(tmp_path: Path, tiny_model_dir: Path) -> None:
    from safetensors.torch import load_file, save_file

    folder = copy_model(tiny_model_dir, tmp_path / "opus-mt-zh-en")
    tensors = load_file(folder / "model.safetensors")
    dropped = sorted(name for name in tensors if "encoder.layers.0" in name)[0]
    del tensors[dropped]
    save_file(tensors, folder / "model.safetensors", metadata={"format": "pt"})
    with pytest.raises(ModelBrokenError, match="its weights lack"):
        TransformersEngine(folder, ZH_EN)


def test_en_zh_model_must_know_the_script_tokens(tmp_path: Path, memorised_store: Path) -> None:
    # opus-mt-zh-en has no >>cmn_Hans<<: installed as en-zh it would translate nonsense.
    folder = copy_model(memorised_store / ZH_EN.name, tmp_path / "opus-mt-en-zh")
    (folder / "tokenizer_config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelBrokenError, match="no >>cmn_Hans<< token"):
        TransformersEngine(folder, EN_ZH)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda d: (d / CONVERSION_INFO).unlink(), "not a finished CTranslate2 conversion"),
        (lambda d: (d / "model.bin").write_bytes(b"garbage"), "CTranslate2 cannot load it"),
        (lambda d: (d / "vocab.json").unlink(), "vocab.json is missing"),
    ],
)
def test_broken_ctranslate2_folders(tmp_path: Path, tiny_float32: Path, damage, problem: str) -> None:
    folder = copy_model(tiny_float32, tmp_path / "opus-mt-zh-en.ct2-int8")
    damage(folder)
    with pytest.raises(ModelBrokenError) as caught:
        CTranslate2Engine(folder, ZH_EN)
    assert str(folder) in str(caught.value) and problem in str(caught.value)


def test_ctranslate2_missing_is_a_backend_error(tiny_float32: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # import ctranslate2 -> ImportError
    with pytest.raises(BackendUnavailableError, match="pip install ctranslate2"):
        CTranslate2Engine(tiny_float32, ZH_EN)
