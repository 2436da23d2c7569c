"""The engine provider: engines built once per direction, token counts without building one."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.engines import IdentityEngine
from tests.modelkit import ZH_EN_PAIRS
from translator import Translator
from translator.engine_provider import EngineProvider
from translator.engines.options import DecodingOptions
from translator.errors import ModelNotFoundError

TEXTS = {
    ("zh", "en"): ["这家店的火锅太好吃了", "你好</s>世界", "z" * 300, "火锅，" * 80],
    ("en", "zh"): ["This hotpot is so delicious!", ">>fra<< hello", "word " * 150],
}


@pytest.mark.parametrize("direction", list(TEXTS))
def test_tokens_are_counted_as_the_engine_counts_them_without_loading_it(
    memorised_store: Path, direction: tuple[str, str]
) -> None:
    statuses: list[str] = []
    provider = EngineProvider(memorised_store, backend="ctranslate2", on_status=statuses.append)
    count = provider.token_counter(*direction)
    counts = [count(text) for text in TEXTS[direction]]
    assert statuses == []  # nothing converted, nothing loaded
    engine = provider.engine(*direction, DecodingOptions())
    assert statuses  # loading says so: the check above could fail
    assert counts == [engine.count_tokens(text, *direction) for text in TEXTS[direction]]  # type: ignore[attr-defined]


def test_the_counter_and_the_ctranslate2_engine_read_one_tokenizer(
    memorised_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translator.engines import marian_tokenizer

    store = Path(shutil.copytree(memorised_store, tmp_path / "store"))
    EngineProvider(store, backend="ctranslate2").engine("zh", "en", DecodingOptions())  # converted in the copy
    monkeypatch.setattr(marian_tokenizer, "_read", {})
    reads: list[Path] = []
    read = marian_tokenizer.MarianSentencePieceTokenizer.__init__

    def counted(self: Any, model_dir: Path) -> None:
        reads.append(model_dir)
        read(self, model_dir)

    monkeypatch.setattr(marian_tokenizer.MarianSentencePieceTokenizer, "__init__", counted)
    provider = EngineProvider(store, backend="ctranslate2")
    provider.token_counter("zh", "en")("你好")
    provider.engine("zh", "en", DecodingOptions())
    assert len(reads) == 1


def test_a_missing_model_is_reported_when_a_long_sentence_needs_counting(tmp_path: Path) -> None:
    count = EngineProvider(tmp_path).token_counter("zh", "en")  # building the counter reads nothing
    with pytest.raises(ModelNotFoundError):
        count("长" * 300)


def test_a_custom_engine_without_a_tokenizer_counts_characters() -> None:
    provider = EngineProvider(engine=IdentityEngine())
    assert provider.token_counter("zh", "en")("你好世界") == 4
    assert provider.model_name("zh", "en") == ""


@pytest.fixture
def gated_loads(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[str]]:
    """CTranslate2 engines that are built only once the test opens the gate; the list names the
    thread that built each."""
    from translator.engines import backends

    gate, builders = threading.Event(), []
    real = backends.engine_factory("ctranslate2")

    def gated(*args: Any) -> Any:
        assert gate.wait(30), "the test never opened the gate"
        builders.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setitem(backends._FACTORIES, "ctranslate2", gated)
    return gate, builders


def test_a_batch_is_planned_while_its_model_loads(
    memorised_store: Path, gated_loads: tuple[threading.Event, list[str]]
) -> None:
    gate, builders = gated_loads
    translator = Translator(memorised_store, backend="ctranslate2", cache=False)
    planned: list[str] = []
    rewrite = translator._rewrite

    def planning(sentence: str) -> Any:
        planned.append(sentence)
        if len(planned) == 2:
            gate.set()  # the model is still loading while the second text is planned
        return rewrite(sentence)

    translator._rewrite = planning  # type: ignore[method-assign]
    pairs = ZH_EN_PAIRS[:2]
    results = translator.translate_batch([source for source, _ in pairs], "en")
    assert [result.text for result in results] == [target for _, target in pairs]
    assert len(builders) == 1 and builders[0] != threading.current_thread().name


def test_the_model_starts_loading_before_the_first_sentence_is_rewritten(
    memorised_store: Path, gated_loads: tuple[threading.Event, list[str]]
) -> None:
    """The first rewrite loads the glossary (tenths of a second): the model loads meanwhile."""
    gate, builders = gated_loads
    translator = Translator(memorised_store, backend="ctranslate2", cache=False)
    rewrite = translator._rewrite

    def first_loading(sentence: str) -> Any:
        loading = not translator._engines._loading[("zh", "en")].acquire(blocking=False)
        if not loading:
            translator._engines._loading[("zh", "en")].release()
        gate.set()
        assert loading, "the model was not loading yet"
        return rewrite(sentence)

    translator._rewrite = first_loading  # type: ignore[method-assign]
    source, target = ZH_EN_PAIRS[0]
    assert translator.translate(source, "en").text == target
    assert len(builders) == 1


def test_a_preload_that_fails_is_raised_by_the_next_call(tmp_path: Path) -> None:
    provider = EngineProvider(tmp_path)
    provider.preload("zh", "en", DecodingOptions())
    with pytest.raises(ModelNotFoundError):
        provider.engine("zh", "en", DecodingOptions())
    with pytest.raises(ModelNotFoundError):  # and then fails as any load does, not from memory
        provider.engine("zh", "en", DecodingOptions())


def test_a_preloaded_engine_is_the_one_every_call_gets(
    memorised_store: Path, gated_loads: tuple[threading.Event, list[str]]
) -> None:
    gate, builders = gated_loads
    provider = EngineProvider(memorised_store, backend="ctranslate2")
    provider.preload("zh", "en", DecodingOptions())
    provider.preload("zh", "en", DecodingOptions())  # loading already: nothing more
    assert provider.token_counter("zh", "en")("你好") > 0  # counting does not wait for the load
    gate.set()
    engines = {id(provider.engine("zh", "en", DecodingOptions())) for _ in range(3)}
    assert len(engines) == 1 and len(builders) == 1


_MODULES_WHEN_THE_LOADING_THREAD_STARTS = """
import sys, threading
from translator.engine_provider import EngineProvider
from translator.engines.options import DecodingOptions

start = threading.Thread.start

def recording_start(thread):
    print(thread.name, *sorted(name for name in ("ctranslate2", "torch") if name in sys.modules))
    start(thread)

threading.Thread.start = recording_start
EngineProvider({models_dir!r}, backend={backend!r}).preload("zh", "en", DecodingOptions())
"""


@pytest.mark.parametrize(("backend", "imported"), [("auto", ["ctranslate2"]), ("transformers", [])])
def test_a_preload_imports_ctranslate2_before_its_thread_and_leaves_transformers_to_it(
    tmp_path: Path, backend: str, imported: list[str]
) -> None:
    """Importing ctranslate2 is 0.1 s of Python holding the GIL; in the loading thread, beside
    the caller's planning, it delayed the weights' loading by 0.15 s. Importing torch takes
    seconds, which is what the thread is there to overlap."""
    pytest.importorskip("ctranslate2")
    script = _MODULES_WHEN_THE_LOADING_THREAD_STARTS.format(models_dir=str(tmp_path), backend=backend)
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.split() == ["zhen-load-zh-en", *imported]
