"""The benchmark's code paths on a tiny random model, so that `make bench` cannot rot unnoticed.

No timings are checked (they depend on the machine): what is checked is that every contender
decodes exactly the forced number of tokens, that zhen's engines forced through their public hooks
(`bench.zhen_forced`) decode exactly that length, and that the runner writes its JSON with every figure it promises.
Skipped without ../shared (real tokenizer and FLORES).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.contenders import (
    RATIO,
    BatchedTransformers,
    CTranslate2Batched,
    CTranslate2Loop,
    NaiveTransformers,
    Workload,
)
from bench.data import SourceLengths, social_posts, split_sentences
from bench.model import BenchModel, build_model
from bench.zhen_forced import forced_engine_class, forced_length
from translator.engines.ctranslate2_engine import CTranslate2Engine
from translator.engines.marian_base import BatchJob, _batches
from translator.engines.options import DecodingOptions
from translator.engines.transformers_engine import TransformersEngine
from translator.languages import MODELS

pytestmark = pytest.mark.slow
ZH_EN = MODELS[("zh", "en")]
SENTENCES = ["这家店的火锅太好吃了，排队排了一个小时也值得。", "下次还会再来！", "求链接！"]


@pytest.fixture(scope="module")
def tiny(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> BenchModel:
    return build_model(tmp_path_factory.mktemp("bench-cache"), tiny=True)


def reference_tokens(sentences: list[str]) -> int:
    lengths = SourceLengths()
    return sum(forced_length(lengths(sentence), RATIO) for sentence in sentences)


def test_forced_length_rounds_up_and_stays_in_bounds() -> None:
    assert forced_length(10, 1.1) == 11  # 1.1 x 10 is 11.000000000000002 in floating point
    assert forced_length(11, 1.1) == 13
    assert forced_length(0, 1.1) == 1
    assert forced_length(1000, 1.1, limit=512) == 512


def test_uniform_batches_hold_one_length() -> None:
    lengths = [3, 5, 3, 5, 4, 3]
    batches = list(_batches(list(range(len(lengths))), lengths, 100, uniform=True))
    assert [sorted(lengths[i] for i in batch) for batch in batches] == [[3, 3, 3], [4], [5, 5]]


def test_short_sentences_no_longer_make_huge_batches() -> None:
    """The row cap found by the benchmark: 222 short lines made one batch of 888 decoder rows."""
    options = DecodingOptions()
    lengths = [8] * 222
    rows_per_sentence = options.beam_size
    batches = list(
        _batches(list(range(len(lengths))), lengths, 2048, max_items=options.max_batch_rows // rows_per_sentence)
    )
    assert max(len(batch) for batch in batches) * rows_per_sentence <= options.max_batch_rows
    assert sum(len(batch) for batch in batches) == 222


@pytest.mark.parametrize("engine_class", [CTranslate2Engine, TransformersEngine])
def test_engines_decode_exactly_the_forced_length(tiny: BenchModel, engine_class: type) -> None:
    folder = tiny.ct2_dir if engine_class is CTranslate2Engine else tiny.hf_dir
    engine = forced_engine_class(engine_class, RATIO)(folder, ZH_EN, DecodingOptions(beam_size=2))
    plain = engine_class(folder, ZH_EN, DecodingOptions(beam_size=2))
    assert engine.cache_key("zh", "en") != plain.cache_key("zh", "en")  # forced outputs never mix with real ones
    calls: list[tuple[int, int, list[int]]] = []
    generate_all = engine._generate_all

    def recording(jobs: list[BatchJob], options: DecodingOptions) -> Iterator[list]:
        for job, outputs in zip(jobs, generate_all(jobs, options), strict=True):
            calls.append((job.max_new_tokens, job.min_new_tokens, [len(tokens) for tokens in outputs]))
            yield outputs

    engine._generate_all = recording
    engine.translate(SENTENCES * 2, "zh", "en")
    expected = sorted(forced_length(engine.count_tokens(s, "zh", "en"), RATIO) for s in SENTENCES * 2)
    assert all(top == bottom for top, bottom, _ in calls)
    assert sorted(n for top, _, produced in calls for n in produced if n == top) == expected


@pytest.mark.parametrize(
    "contender",
    [CTranslate2Loop(), CTranslate2Batched(), NaiveTransformers(), BatchedTransformers(quantize=True)],
    ids=lambda c: c.name,
)
def test_every_contender_decodes_the_reference_tokens(tiny: BenchModel, contender) -> None:
    contender.load(tiny)
    measurement = contender.run(Workload("three", tuple(SENTENCES), tuple(SENTENCES)))
    assert measurement.tokens == reference_tokens(SENTENCES)
    assert measurement.seconds > 0


def test_the_feed_repeats_itself_and_splits_like_argos() -> None:
    posts = social_posts(40, [f"第{i}句新内容。" for i in range(100)])
    assert posts == social_posts(40, [f"第{i}句新内容。" for i in range(100)])
    assert len(set(posts)) < len(posts)
    assert split_sentences("好吃！下次还来。#美食# ") == ["好吃！", "下次还来。", "#美食#"]


def test_runner_skips_in_one_line_without_shared(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bench import run

    monkeypatch.setattr(run, "shared_dir", lambda: tmp_path / "absent")
    assert run.main(["--quick", "--results", str(tmp_path)]) == 0
    assert capsys.readouterr().out.count("\n") == 1
    assert not list(tmp_path.glob("*.json"))


def test_runner_writes_every_figure(tiny: BenchModel, tmp_path: Path) -> None:
    from bench import run

    only = "ctranslate2-loop,zhen-library,zhen-file"
    cache = tiny.store.parents[1]
    code = run.main(["--quick", "--tiny", "--only", only, "--results", str(tmp_path), "--cache", str(cache)])
    assert code == 0
    assert not (tmp_path / "latest.json").exists()  # a partial run never stands for the project's figures
    (written,) = tmp_path.glob("*-partial.json")
    result = json.loads(written.read_text(encoding="utf-8"))
    assert {row["contender"] for row in result["rows"]} == set(only.split(","))
    workloads = result["workloads"]
    for entry in result["runs"]:
        if entry["contender"] == "ctranslate2-loop":
            assert entry["tokens"] == workloads[entry["workload"]]["reference_tokens"]
        assert entry["seconds"] > 0
    assert all(row["peak_rss_mb"] > 0 for row in result["rows"])
    assert result["cold_start"]["zhen translate (forced length)"]["to_output"] > 0
    assert result["tui"]["first_translation"] >= result["tui"]["interactive"] > 0
    measured = {item["target"]: item for item in result["targets"]}
    assert measured["zhen file peak RSS, CTranslate2 path"]["met"] is not None
    assert measured["zhen library (ct2 int8, beam 4) vs naive transformers, tokens/s"]["met"] is None
