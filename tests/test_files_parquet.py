"""Parquet in `zhen file`: new `<column>_<target>` columns, every other column and null kept."""

from __future__ import annotations

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
    with pytest.raises(FileError, match=r"no column named 'c' \(columns: a, b\)"):
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
