"""Parquet in `zhen file`: new `<column>_<target>` columns, every other column and null kept."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.engines import TaggingEngine
from translator import Translator
from translator.errors import UsageError
from translator.files import FileError, iter_translate, translate_file
from translator.glossary.matcher import Glossary

pa = pytest.importorskip("pyarrow")
parquet = pytest.importorskip("pyarrow.parquet")


@pytest.fixture
def translator() -> Translator:
    return Translator(engine=TaggingEngine(), cache=False, rewrite_slang=False, glossary=Glossary([]))


def write(path: Path, **columns: list[object]) -> Path:
    parquet.write_table(pa.table(columns), path)
    return path


def test_prose_columns_get_translation_columns(tmp_path: Path, translator: Translator) -> None:
    source = write(
        tmp_path / "posts.parquet",
        id=[1, 2, 3],
        title=["今天天气很好。", None, "我们去吃火锅吧"],
        code=["a1", "b2", "c3"],
        likes=[1.5, 2.0, None],
    )
    result = translate_file(source, None, translator)
    assert (result.format, result.source, result.target, result.translated) == ("parquet", "zh", "en", 2)
    assert result.output == str(tmp_path / "posts.en.parquet")
    assert parquet.read_table(result.output).to_pylist() == [
        {"id": 1, "title": "今天天气很好。", "code": "a1", "likes": 1.5, "title_en": "en(今天天气很好。)"},
        {"id": 2, "title": None, "code": "b2", "likes": 2.0, "title_en": None},
        {"id": 3, "title": "我们去吃火锅吧", "code": "c3", "likes": None, "title_en": "en(我们去吃火锅吧)"},
    ]


def test_fields_choose_columns_and_name_missing_ones(tmp_path: Path, translator: Translator) -> None:
    source = write(tmp_path / "posts.parquet", a=["你好"], b=["谢谢"])
    result = translate_file(source, tmp_path / "out.parquet", translator, fields=["b"], target="en")
    assert parquet.read_table(result.output).column_names == ["a", "b", "b_en"]
    with pytest.raises(FileError, match=r"--fields c matched nothing \(the columns: a, b\)"):
        translate_file(source, tmp_path / "other.parquet", translator, fields=["c"])


def test_not_parquet_is_one_line(tmp_path: Path, translator: Translator) -> None:
    source = tmp_path / "broken.parquet"
    source.write_bytes(b"not parquet at all")
    with pytest.raises(FileError, match="not a readable Parquet file"):
        translate_file(source, None, translator)
    assert not (tmp_path / "broken.en.parquet").exists()


def test_parquet_is_not_streamed(tmp_path: Path, translator: Translator) -> None:
    source = write(tmp_path / "posts.parquet", a=["你好"])
    with pytest.raises(UsageError, match="Parquet is binary"):
        "".join(iter_translate(source, translator))


def test_a_new_column_never_takes_an_existing_name(tmp_path: Path, translator: Translator) -> None:
    source = write(tmp_path / "posts.parquet", title=["你好"], title_en=["hello"])
    result = translate_file(source, None, translator, fields=["title"])
    assert parquet.read_table(result.output).to_pylist() == [
        {"title": "你好", "title_en": "hello", "title_1_en": "en(你好)"}
    ]


def test_the_language_is_decided_from_all_the_rows(tmp_path: Path, translator: Translator) -> None:
    # 300 English rows first, then more Chinese: CSV's first-rows sample would say English.
    english = ["See you at the station tomorrow morning."] * 300
    chinese = ["我们明天早上在车站见面吧，别迟到了。"] * 400
    source = write(tmp_path / "posts.parquet", text=english + chinese)
    result = translate_file(source, None, translator)
    assert (result.source, result.target) == ("zh", "en")


def test_without_pyarrow_the_cli_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from translator.cli.main import main

    source = write(tmp_path / "posts.parquet", a=["你好"])
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert main(["file", str(source), "--quiet"]) != 0
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and 'pip install -e' in error and '[parquet]' in error
