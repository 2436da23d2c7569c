"""`zhen file` as a user runs it: naming, folders, stdin, failures and exit codes, summaries."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engines import TaggingEngine
from tests.modelkit import ZH_EN_PAIRS
from tests.test_files_formats import FIXTURES, translator_with
from translator.cli import file_cmd
from translator.cli.main import main
from translator.engines import allocator

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def tagging(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Translator the command builds wraps sentences as `target(...)`."""
    monkeypatch.setattr(file_cmd, "translator_from_args", lambda args, **_: translator_with(TaggingEngine()))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "in")
    return tmp_path / "in"


def test_malloc_keeps_freed_memory_before_the_translator_is_built(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    monkeypatch.setattr(allocator, "keep_freed_memory", lambda: events.append("malloc tuned"))

    def built(args: object, **_: object) -> object:
        events.append("translator built")
        return translator_with(TaggingEngine())

    monkeypatch.setattr(file_cmd, "translator_from_args", built)
    assert main(["file", str(folder / "post.txt"), "--quiet"]) == 0
    assert events == ["malloc tuned", "translator built"]


def test_a_folder_is_translated_next_to_its_files(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "sub").mkdir()
    (folder / "sub" / "deep.txt").write_text("你好！\n", encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\x00")
    assert main(["file", str(folder)]) == 0
    made = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.en.*"))
    assert made == [
        "comments.en.csv",
        "comments.en.jsonl",
        "episode-crlf.en.srt",
        "episode.en.srt",
        "episode.en.vtt",
        "notes.en.md",
        "page.en.html",
        "poem.en.lrc",
        "post.en.txt",
        "posts.en.json",
        "sub/deep.en.txt",
    ]
    assert (folder / "sub" / "deep.en.txt").read_text(encoding="utf-8") == "en(你好！)\n"
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("zhen: 11 files: ") and "0 failed" in captured.err
    # A second run skips the first run's outputs and refuses to replace them.
    assert main(["file", str(folder), "--quiet"]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 11 and all("output exists already" in line for line in errors)
    assert not list(folder.rglob("*.en.en.*"))


def test_glob_picks_files_and_out_dir_mirrors_the_tree(folder: Path, tmp_path: Path) -> None:
    (folder / "sub").mkdir()
    (folder / "sub" / "more.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\n你好！\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["file", str(folder), "--glob", "*.srt", "--out-dir", str(out), "--quiet"]) == 0
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()) == [
        "episode-crlf.srt",
        "episode.srt",
        "sub/more.srt",
    ]
    assert (out / "sub" / "more.srt").read_text(encoding="utf-8").endswith("en(你好！)\n")


def test_bad_files_are_reported_skipped_and_make_the_exit_status_1(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "broken.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\n你好！\n\nnot a cue\n", encoding="utf-8")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    status = main(["file", str(folder / "broken.srt"), str(folder / "photo.txt"), str(folder / "post.txt")])
    assert status == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"zhen: {folder / 'broken.srt'}:5: expected a cue number or a timing line"
    assert err[1] == f"zhen: {folder / 'photo.txt'}: binary file, not text: skipped"
    assert "2 failed" in err[2]
    assert (folder / "post.en.txt").is_file()
    assert not (folder / "broken.en.srt").exists() and not (folder / "photo.en.txt").exists()


def test_json_summary_for_scripts(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "bad.json").write_text('{"a": }', encoding="utf-8")
    status = main(["file", str(folder / "post.txt"), str(folder / "bad.json"), "--to", "en", "--json-summary"])
    assert status == 1
    summary = json.loads(capsys.readouterr().out)
    assert (summary["files"], summary["succeeded"], summary["failed"]) == (2, 1, 1)
    # Five Chinese sentences, "链接：" before a URL among them; the English line is kept.
    assert summary["translated"] == 5 and summary["kept"] == summary["segments"] - 5
    (result,) = summary["results"]
    assert result["path"] == str(folder / "post.txt")
    assert result["output"] == str(folder / "post.en.txt")
    assert (result["format"], result["encoding"], result["source"], result["target"]) == ("txt", "utf-8", "zh", "en")
    assert summary["failures"][0]["error"].startswith(f"{folder / 'bad.json'}:1: invalid JSON")


def test_output_option_and_stdout(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["file", str(folder / "post.txt"), "-o", str(folder / "mine.txt"), "--quiet"]) == 0
    assert (folder / "mine.txt").read_bytes().decode().startswith("en(这家店的火锅太好吃了！)\r\n")
    assert main(["file", str(folder / "episode.srt"), "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("1\n00:00:01,000 --> 00:00:03,500\nen(你好！)\n")


@pytest.mark.parametrize(
    "args",
    [
        ["file", "IN/post.txt", "IN/notes.md", "-o", "x.txt"],
        ["file", "IN", "-o", "x.txt"],
        ["file", "IN/post.txt", "-o", "x.txt", "--out-dir", "d"],
        ["file", "IN/post.txt", "--format", "docx"],
        ["file", "IN/post.txt", "--fields", " , "],
        ["file", "-", "IN/post.txt"],
        ["file", "IN/post.txt", "-o", "-", "--json-summary"],
        ["file", "IN/photos"],
    ],
)
def test_usage_errors_exit_2(folder: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "photos").mkdir()
    (folder / "photos" / "a.png").write_bytes(b"\x89PNG")
    with pytest.raises(SystemExit) as exited:
        code = main([arg.replace("IN", str(folder)) for arg in args])
        raise SystemExit(code)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("zhen: ") and err.count("\n") == 1


@pytest.mark.parametrize("output", ["x.txt", "-"])
def test_a_missing_single_input_with_output_is_a_failure(
    folder: Path, output: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["file", str(folder / "nope.txt"), "-o", output]) == 1
    assert capsys.readouterr().err.startswith(f"zhen: {folder / 'nope.txt'}: no such file or directory\n")


def test_a_missing_path_fails_but_the_others_run(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["file", str(folder / "nope.txt"), str(folder / "post.txt")]) == 1
    assert f"zhen: {folder / 'nope.txt'}: no such file or directory" in capsys.readouterr().err
    assert (folder / "post.en.txt").is_file()


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    import io

    subtitles = "1\n00:00:01,000 --> 00:00:02,000\n你好！\n".encode("gbk")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(subtitles)))
    assert main(["file", "-"]) == 0
    # GBK in: UTF-8 with a BOM out, which Windows subtitle renderers need to read it as UTF-8.
    assert capsysbinary.readouterr().out == "\ufeff1\n00:00:01,000 --> 00:00:02,000\nen(你好！)\n".encode()


def test_stdin_needs_a_format_it_cannot_recognise(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("你好！\n".encode())))
    assert main(["file", "-"]) == 2
    assert "add --format" in capsys.readouterr().err


def test_progress_is_shown_only_when_asked_on_a_pipe(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["file", str(folder / "post.txt")])
    assert capsys.readouterr().err.count("\n") == 1  # the summary only
    main(["file", str(folder / "notes.md"), "--progress"])
    err = capsys.readouterr().err
    assert "notes.md" in err and "segments" in err


def test_real_command_with_memorised_models(memorised_store: Path, tmp_path: Path) -> None:
    """The installed entry point, as a subprocess, on the ctranslate2 backend."""
    (hello, hello_en), (thanks, thanks_en) = ZH_EN_PAIRS[1], ZH_EN_PAIRS[5]
    source = tmp_path / "post.srt"
    source.write_text(f"1\n00:00:01,000 --> 00:00:02,000\n{hello}\n\n2\n00:00:03,000 --> 00:00:04,000\n{thanks}\n")
    command = [sys.executable, "-m", "translator.cli.main", "file", str(source), "--models-dir", str(memorised_store)]
    result = subprocess.run(
        [*command, "--backend", "ctranslate2", "--no-cache", "--json-summary"],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "post.en.srt").read_text(encoding="utf-8") == (
        f"1\n00:00:01,000 --> 00:00:02,000\n{hello_en}\n\n2\n00:00:03,000 --> 00:00:04,000\n{thanks_en}\n"
    )
    summary = json.loads(result.stdout)
    assert (summary["files"], summary["translated"], summary["failed"]) == (1, 2, 0)


def test_no_header_translates_the_first_csv_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "plain.csv"
    source.write_text("1,这家店很好吃\n2,太贵了吧\n", encoding="utf-8")
    assert main(["file", str(source), "--no-header", "--to", "en", "-o", "-"]) == 0
    assert capsys.readouterr().out == "1,这家店很好吃,en(这家店很好吃)\n2,太贵了吧,en(太贵了吧)\n"


def test_fields_matching_nothing_fail_and_name_the_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "post.json"
    source.write_text('{"title": "你好世界", "user": {"nickname": "小红"}}', encoding="utf-8")
    assert main(["file", str(source), "--fields", "titel", "--quiet"]) != 0
    error = capsys.readouterr().err
    assert "--fields titel matched nothing (the paths with text: title, user.nickname)" in error
    assert "Traceback" not in error
    assert not list(tmp_path.glob("post.en*"))
