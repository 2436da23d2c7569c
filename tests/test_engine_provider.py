"""The engine provider: engines built once per direction, token counts without building one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engines import IdentityEngine
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


def test_a_missing_model_is_reported_when_a_long_sentence_needs_counting(tmp_path: Path) -> None:
    count = EngineProvider(tmp_path).token_counter("zh", "en")  # building the counter reads nothing
    with pytest.raises(ModelNotFoundError):
        count("长" * 300)


def test_a_custom_engine_without_a_tokenizer_counts_characters() -> None:
    provider = EngineProvider(engine=IdentityEngine())
    assert provider.token_counter("zh", "en")("你好世界") == 4
    assert provider.model_name("zh", "en") == ""
