"""`zhen file --ray` and `translator.distributed` on a local Ray cluster (2 CPUs, one for all the tests).

Outputs are compared with `zhen file`'s on the same input: the same lines for JSONL, the same
records for CSV and Parquet. Each run starts its actors afresh (a few seconds each on a busy
machine), so most tests use one actor.
"""

from __future__ import annotations

import csv
import functools
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.engines import TaggingEngine
from tests.modelkit import ZH_EN_PAIRS
from translator import Translator
from translator.cli.main import main
from translator.errors import ZhenError
from translator.files import translate_file
from translator.glossary.matcher import Glossary

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")
parquet = pytest.importorskip("pyarrow.parquet")

from translator.distributed import TranslatorSettings, translate_dataset, translate_file_on_ray  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
TAGGING = TranslatorSettings(engine=TaggingEngine, cache=False, rewrite_slang=False)


class CrashOnceEngine(TaggingEngine):
    """Kills its worker process on its first call (across restarts: a marker file remembers)."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = Path(marker)

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        if not self.marker.exists():
            self.marker.touch()
            os._exit(1)
        return super().translate(segments, source, target)


@pytest.fixture(scope="session", autouse=True)
def cluster() -> Iterator[None]:
    """One local cluster for every test of the session; workers import this checkout."""
    if not ray.is_initialized():
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            log_to_driver=False,
            logging_level="ERROR",
            runtime_env={"env_vars": {"PYTHONPATH": str(REPO_ROOT), "OMP_WAIT_POLICY": "PASSIVE"}},
        )
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def records(count: int) -> list[dict[str, object]]:
    chinese = [zh for zh, _ in ZH_EN_PAIRS]
    return [
        {"id": index, "title": chinese[index % len(chinese)], "url": f"https://example.com/{index}", "n": "2"}
        for index in range(count)
    ]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def shard_lines(folder: Path, suffix: str = ".jsonl") -> list[str]:
    return [line for part in sorted(folder.glob(f"part-*{suffix}")) for line in part.read_text("utf-8").splitlines()]


def tagging_translator() -> Translator:
    return Translator(engine=TaggingEngine(), cache=False, rewrite_slang=False, glossary=Glossary([]))


def test_jsonl_equals_zhen_file_with_memorised_models(tmp_path: Path, memorised_store: Path) -> None:
    # The CTranslate2 copy is made once here, not by two actors at once.
    Translator(models_dir=memorised_store, backend="ctranslate2", cache=False).load("zh", "en")
    rows = records(30)
    rows[3]["title"] = "Okay 你好 see you"  # mixed: only the Chinese run is translated
    source = write_jsonl(tmp_path / "posts.jsonl", rows)
    options = ["--models-dir", str(memorised_store), "--backend", "ctranslate2", "--no-cache", "--no-rewrite"]
    assert main(["file", str(source), "-o", str(tmp_path / "plain.jsonl"), *options, "--quiet"]) == 0
    # Two actors (one a CPU), the default on this cluster.
    assert main(["file", str(source), "-o", str(tmp_path / "sharded"), *options, "--quiet", "--ray", "auto"]) == 0
    expected = (tmp_path / "plain.jsonl").read_text("utf-8").splitlines()
    assert shard_lines(tmp_path / "sharded") == expected
    assert json.loads(expected[0])["title"] == ZH_EN_PAIRS[0][1]


def test_csv_and_parquet_records_equal_zhen_file(tmp_path: Path) -> None:
    import pyarrow as pa

    rows = records(12)
    rows[5]["title"] = "第一行\n第二行"  # a quoted line break inside a CSV record
    csv_source = tmp_path / "posts.csv"
    with open(csv_source, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    parquet_source = tmp_path / "posts.parquet"
    parquet.write_table(pa.Table.from_pylist(rows), parquet_source, row_group_size=4)
    for source in (csv_source, parquet_source):
        plain = translate_file(source, tmp_path / f"plain{source.suffix}", tagging_translator())
        sharded = translate_file_on_ray(
            source, tmp_path / f"sharded{source.suffix}", settings=TAGGING, shard_records=5, actors=1
        )
        assert (sharded.records, sharded.shards, sharded.target) == (12, 3, "en")
        parts = sorted(Path(sharded.output).glob("part-*"))
        if source.suffix == ".csv":
            expected = csv_rows(Path(plain.output))
            got = [row for part in parts for row in csv_rows(part)]
        else:
            expected = parquet.read_table(plain.output).to_pylist()
            got = [row for part in parts for row in parquet.read_table(part).to_pylist()]
        assert got == expected
        assert expected[0]["title_en"] == f"en({rows[0]['title']})"


def test_translate_dataset_takes_and_returns_a_dataset(tmp_path: Path) -> None:
    rows = [{"id": index, "text": title} for index, (title, _) in enumerate(ZH_EN_PAIRS[:6])]
    ds = ray.data.from_items(rows)
    out = translate_dataset(ds, fields=["text"], target="en", settings=TAGGING, actors=1).take_all()
    assert sorted(out, key=lambda row: row["id"]) == [{**row, "text_en": f"en({row['text']})"} for row in rows]


def test_an_interrupted_run_resumes_after_its_finished_shards(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "posts.jsonl", records(20))
    reference = translate_file_on_ray(source, tmp_path / "reference", settings=TAGGING, shard_records=5, actors=1)

    def interrupt_after_two(shards: int, records: int) -> None:
        if shards == 2:
            raise KeyboardInterrupt

    folder = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        translate_file_on_ray(source, folder, settings=TAGGING, shard_records=5, actors=1, on_shard=interrupt_after_two)
    assert sorted(path.name for path in folder.glob("part-*")) == ["part-00000.jsonl", "part-00001.jsonl"]
    assert not (folder / "_SUCCESS").exists()
    kept = (folder / "part-00001.jsonl").stat().st_mtime_ns
    again = translate_file_on_ray(source, folder, settings=TAGGING, shard_records=5, actors=1)
    assert (reference.records, again.records, again.skipped_shards, again.shards) == (20, 10, 2, 2)
    assert (folder / "part-00001.jsonl").stat().st_mtime_ns == kept
    assert shard_lines(folder) == shard_lines(tmp_path / "reference")
    done = translate_file_on_ray(source, folder, settings=TAGGING, shard_records=5, actors=1)
    assert (done.records, done.skipped_shards) == (0, 4)
    with pytest.raises(ZhenError, match="another input or other options: add --force"):
        translate_file_on_ray(source, folder, settings=TAGGING, shard_records=7, actors=1)
    redone = translate_file_on_ray(source, folder, settings=TAGGING, shard_records=7, actors=1, force=True)
    assert (redone.records, redone.shards, redone.skipped_shards) == (20, 3, 0)
    assert shard_lines(folder) == shard_lines(tmp_path / "reference")


def test_a_worker_that_dies_is_restarted_without_losing_or_repeating_records(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "posts.jsonl", records(20))
    marker = tmp_path / "crashed"
    crash_once = functools.partial(CrashOnceEngine, str(marker))
    settings = TranslatorSettings(engine=crash_once, cache=False, rewrite_slang=False)
    result = translate_file_on_ray(source, tmp_path / "out", settings=settings, shard_records=8, actors=1)
    assert marker.exists()
    plain = translate_file(source, tmp_path / "plain.jsonl", tagging_translator())
    assert result.records == 20
    assert shard_lines(tmp_path / "out") == Path(plain.output).read_text("utf-8").splitlines()


def test_a_worker_without_the_model_says_so_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_jsonl(tmp_path / "posts.jsonl", records(3))
    empty = tmp_path / "no-models"
    empty.mkdir()
    status = main(["file", str(source), "--models-dir", str(empty), "--no-cache", "--ray", "--quiet"])
    error = capsys.readouterr().err
    assert status == 1
    assert error.count("\n") == 1 and "Traceback" not in error
    assert "is not installed" in error and "zhen models download" in error
