"""What goes wrong with files: malformed input named by file and line, outputs that must not be
replaced, writes interrupted half-way, and resuming from the cache after an interruption."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from tests.engines import CachingTaggingEngine, IdentityEngine, TaggingEngine
from tests.test_files_formats import translator_with
from translator.cache import TranslationCache
from translator.errors import UsageError
from translator.files import iter_translate, pipeline, translate_file
from translator.files.atomic import atomic_writer
from translator.files.errors import FileError, MalformedFileError, OutputExistsError, SameFileError


@pytest.mark.parametrize(
    ("name", "content", "line", "problem"),
    [
        ("bad.srt", "1\n00:00:01,000 --> 00:00:02,000\n你好！\n\n2\nsoon\n你好！\n", 6, "bad timing line"),
        ("bad.srt", "1\n00:00:01,000 --> 00:00:02,000\n你好！\n\n你好！\n", 5, "expected a cue number"),
        ("bad.srt", "1\n00:00:01,000 --> 00:00:02,000\n你好！\n\n7\n", 5, "cue number without a timing"),
        ("bad.vtt", "1\n00:01.000 --> 00:02.000\n你好！\n", 1, "must start with WEBVTT"),
        ("bad.vtt", "WEBVTT\n\nid\n你好！\n", 4, "expected a cue timing line"),
        ("bad.vtt", "WEBVTT\n\n00:01 --> 00:02\n你好！\n", 3, "bad timing line"),
        ("bad.json", '{\n  "title": "你好！",\n  "desc": "求链接！"\n  "x": 1\n}\n', 4, "Expecting ',' delimiter"),
        ("bad.json", '[\n  {"a": "你好！"},\n  {"a": "你好！",}\n]\n', 3, "invalid JSON"),
        ("bad.json", '[\n  {"a": 1}\n] trailing', 3, "Extra data"),
        ("bad.json", '{"a": "你好！"} {"b": 1}', 1, "Extra data"),
        ("bad.json", "", 1, "invalid JSON"),
        ("bad.jsonl", '{"a": "你好！"}\n{"a": "求链接！"\n{"a": 1}\n', 2, "invalid JSON"),
        ("bad.csv", 'id,text\n1,你好！\n2,"求链接！"x\n', 3, "invalid CSV"),
        ("bad.csv", "id,text\n1,你好！\n2,你好！,extra\n", 3, "row has 3 fields but the header has 2"),
        ("bad.csv", 'id,text\n1,"你好！\n', 2, "invalid CSV"),
    ],
)
def test_malformed_files_name_file_and_line(tmp_path: Path, name: str, content: str, line: int, problem: str) -> None:
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    with pytest.raises(MalformedFileError) as caught:
        translate_file(source, tmp_path / f"out-{name}", translator_with(IdentityEngine()))
    message = str(caught.value)
    assert message.startswith(f"{source}:{line}: ")
    assert problem in message
    assert "\n" not in message
    assert not (tmp_path / f"out-{name}").exists()


def test_csv_fields_must_name_columns(tmp_path: Path) -> None:
    source = tmp_path / "data.csv"
    source.write_text("id,text\n1,你好！\n", encoding="utf-8")
    with pytest.raises(FileError, match=r"--fields body matched nothing \(the columns: id, text\)"):
        translate_file(source, tmp_path / "out.csv", translator_with(IdentityEngine()), fields=["body"])


def test_bad_field_paths_are_usage_errors(tmp_path: Path) -> None:
    source = tmp_path / "data.json"
    source.write_text('{"a": "你好！"}', encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad field path 'a\.\.b'"):
        translate_file(source, tmp_path / "out.json", translator_with(IdentityEngine()), fields=["a..b"])


def test_an_existing_output_is_kept_unless_forced(tmp_path: Path) -> None:
    source = tmp_path / "post.txt"
    source.write_text("你好！\n", encoding="utf-8")
    existing = tmp_path / "post.en.txt"
    existing.write_text("mine", encoding="utf-8")
    translator = translator_with(TaggingEngine())
    with pytest.raises(OutputExistsError, match=r"post\.en\.txt: output exists already: use --force"):
        translate_file(source, None, translator)
    assert existing.read_text(encoding="utf-8") == "mine"
    translate_file(source, None, translator, force=True)
    assert existing.read_text(encoding="utf-8") == "en(你好！)\n"


def test_the_input_is_never_the_output(tmp_path: Path) -> None:
    source = tmp_path / "post.txt"
    source.write_text("你好！\n", encoding="utf-8")
    for output in (source, tmp_path / "." / "post.txt"):
        with pytest.raises(SameFileError):
            translate_file(source, output, translator_with(TaggingEngine()), force=True)
    assert source.read_text(encoding="utf-8") == "你好！\n"


def test_default_output_name_follows_the_detected_language(tmp_path: Path) -> None:
    chinese, english = tmp_path / "a.md", tmp_path / "b.md"
    chinese.write_text("# 你好！\n", encoding="utf-8")
    english.write_text("# Hello!\n", encoding="utf-8")
    translator = translator_with(TaggingEngine())
    assert translate_file(chinese, None, translator).output == str(tmp_path / "a.en.md")
    assert translate_file(english, None, translator).output == str(tmp_path / "b.zh.md")
    assert (tmp_path / "b.zh.md").read_text(encoding="utf-8") == "# zh(Hello!)\n"


class _ExplodingEngine(TaggingEngine):
    """Fails on its second call: an interruption half-way through a file."""

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        if self.calls:
            raise KeyboardInterrupt
        return super().translate(segments, source, target)


def _many_lines(tmp_path: Path, count: int) -> Path:
    source = tmp_path / "long.txt"
    source.write_text("".join(f"第{index}行：你好！\n" for index in range(count)), encoding="utf-8")
    return source


def test_an_interrupted_write_leaves_no_output_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_TEXTS", 10)
    source = _many_lines(tmp_path, 50)
    output = tmp_path / "long.en.txt"
    output.write_text("an older translation", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        translate_file(source, output, translator_with(_ExplodingEngine()), force=True)
    assert output.read_text(encoding="utf-8") == "an older translation"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["long.en.txt", "long.txt"]


def test_atomic_writer_replaces_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_writer(target) as stream:
        stream.write("a\r\nb")
    assert target.read_bytes() == b"a\r\nb"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600
    with pytest.raises(RuntimeError), atomic_writer(target) as stream:
        stream.write("half")
        raise RuntimeError
    assert target.read_bytes() == b"a\r\nb"
    assert [path.name for path in tmp_path.iterdir()] == ["out.txt"]


def test_a_rerun_after_an_interruption_takes_finished_chunks_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_TEXTS", 10)
    source = _many_lines(tmp_path, 30)
    cache = TranslationCache(tmp_path / "cache.sqlite3")

    class Interrupted(CachingTaggingEngine, _ExplodingEngine):
        pass

    with pytest.raises(KeyboardInterrupt):
        translate_file(source, tmp_path / "out.txt", translator_with(Interrupted(), cache=cache))
    engine = CachingTaggingEngine()
    result = translate_file(source, tmp_path / "out.txt", translator_with(engine, cache=cache))
    # The first chunk's ten lines were cached before the interruption.
    assert (result.cached, result.translated) == (10, 20)
    assert len(engine.sentences_seen) == 20
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").startswith("en(第0行：你好！)\n")


def test_large_inputs_are_translated_a_chunk_at_a_time(tmp_path: Path) -> None:
    lines = [json.dumps({"id": index, "text": f"第{index}条评论：你好！"}, ensure_ascii=False) for index in range(6000)]
    data = ("\n".join(lines) + "\n").encode()

    class Counting(io.BytesIO):
        """Stdin stand-in that remembers how far it has been read."""

        furthest = 0

        def read(self, size: int | None = -1) -> bytes:
            chunk = super().read(size)
            self.furthest = self.tell()
            return chunk

    stream = Counting(data)
    engine = TaggingEngine()
    pieces = iter_translate(stream, translator_with(engine), format="jsonl")
    first = next(pieces)
    # The first chunk is out while most of the input is still unread ...
    assert first.startswith('{"id": 0, "text": "en(第0条评论：你好！)"}\n')
    assert stream.furthest < len(data) / 2
    rest = "".join(pieces)
    # ... and no call to the model saw more than one chunk's texts.
    assert len(engine.calls) > 2
    assert all(len(call[0]) <= pipeline.CHUNK_TEXTS for call in engine.calls)
    assert (first + rest).count("\n") == 6000


def test_languages_zhen_cannot_translate_are_left_alone(tmp_path: Path) -> None:
    source = tmp_path / "mixed.txt"
    # A Chinese file with a Japanese and a Korean comment in it: the comments are left alone.
    source.write_text("你好！今天的火锅太好吃了。\nありがとうございます。\n안녕하세요\n", encoding="utf-8")
    engine = TaggingEngine()
    result = translate_file(source, tmp_path / "out.txt", translator_with(engine))
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == (
        "en(你好！) en(今天的火锅太好吃了。)\nありがとうございます。\n안녕하세요\n"
    )
    assert engine.sentences_seen == ["你好！", "今天的火锅太好吃了。"]
    assert result.kept == 2


@pytest.mark.parametrize("name", ["empty.txt", "empty.md", "empty.srt", "empty.csv", "empty.jsonl"])
def test_empty_files_give_empty_outputs(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_bytes(b"")
    result = translate_file(source, None, translator_with(TaggingEngine()))
    assert Path(result.output).read_bytes() == b""
    assert result.segments == 0
