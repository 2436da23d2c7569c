"""The command line under hostile conditions: bad settings, bad bytes, broken state, usage slips."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engines import TaggingEngine
from tests.test_files_formats import translator_with
from translator.cli import file_cmd
from translator.cli.main import main
from translator.files.summary import BatchSummary, Failure
from translator.settings import check_environment, thread_count

REPO = Path(__file__).resolve().parents[1]


def zhen(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "translator.cli.main", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        cwd=REPO,
        timeout=120,
    )


@pytest.mark.parametrize("value", ["100000", "0", "-1", "two", "1e3", "４"])
def test_bad_thread_settings_are_one_line(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ZHEN_THREADS", value)
    with pytest.raises(Exception, match=r"ZHEN_THREADS must be a whole number from 1 to \d+"):
        thread_count()


def test_zhen_threads_100000_is_refused_before_any_model_runs() -> None:
    """It reached the inference runtime and crashed the process with a segmentation fault."""
    done = zhen("translate", "--models-dir", "/nonexistent", "你好", env={"ZHEN_THREADS": "100000"})
    assert done.returncode == 2
    assert done.stderr.decode().startswith("zhen: ZHEN_THREADS must be a whole number from 1 to ")
    assert b"Traceback" not in done.stderr and done.stderr.count(b"\n") == 1


def test_other_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("ZHEN_MODELS_DIR", str(tmp_path / "file"))
    with pytest.raises(Exception, match=r"ZHEN_MODELS_DIR=.* is not a folder"):
        check_environment()
    monkeypatch.setenv("ZHEN_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("ZHEN_THREAD", "2")
    assert check_environment() == [
        "ignoring unknown environment setting ZHEN_THREAD (zhen reads ZHEN_THREADS, ZHEN_MODELS_DIR)"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe\x00\xd8\x00", "standard input is not text in an encoding zhen reads"),
        (b"\x80\x81\xff\xfe\xfd", "standard input is not text in an encoding zhen reads"),
        ("こんにちは。今日はいい天気ですね。".encode("shift_jis"), "standard input looks like Japanese text"),
    ],
)
@pytest.mark.parametrize("command", ["translate", "gloss", "explain"])
def test_undecodable_stdin_is_one_line(command: str, data: bytes, message: str, tmp_path: Path) -> None:
    done = (
        zhen(command, "--models-dir", str(tmp_path), stdin=data)
        if command == "translate"
        else zhen(command, stdin=data)
    )
    error = done.stderr.decode()
    assert done.returncode == 1, error
    assert error.startswith(f"zhen: {message}") and error.count("\n") == 1


def test_gbk_on_stdin_is_read_as_gbk() -> None:
    done = zhen("explain", "--json", stdin="这家火锅yyds".encode("gbk"))
    assert done.returncode == 0 and "yyds" in done.stdout.decode()


def test_bytes_that_are_not_utf8_on_the_command_line() -> None:
    done = zhen("explain", os.fsdecode(b"yyds \xff\xfe"))
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    assert done.stderr.startswith(b"zhen: the command line is not text")


def test_a_broken_user_glossary_is_one_warning_with_the_prefix(tmp_path: Path) -> None:
    config = tmp_path / "config"
    (config / "zhen").mkdir(parents=True)
    (config / "zhen" / "glossary.toml").write_text('[[entry]]\nterm = "x"\nbroken = [\n', encoding="utf-8")
    done = zhen("explain", "yyds", env={"XDG_CONFIG_HOME": str(config)})
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 0
    assert len(lines) == 1 and lines[0].startswith("zhen: warning: ignoring your glossary ")


def test_glossary_search_limit_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["glossary", "search", "--limit", "0", "rizz"])
    assert exited.value.code == 2
    assert "--limit: must be a whole number of at least 1, not '0'" in capsys.readouterr().err


def test_glossary_search_without_a_match_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "search", "qwertyuiopasdf"]) == 0
    assert capsys.readouterr().out.startswith("no match")


def test_summary_counts_are_singular_for_one() -> None:
    assert BatchSummary().line().startswith("0 files: 0 segments translated")
    assert BatchSummary(failures=[Failure("a.txt", "a.txt: broken")]).line().startswith("1 file: 0 segments")


def test_one_segment_is_singular(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(file_cmd, "translator_from_args", lambda args, **_: translator_with(TaggingEngine()))
    (tmp_path / "post.txt").write_text("你好！\n", encoding="utf-8")
    assert main(["file", str(tmp_path / "post.txt")]) == 0
    assert capsys.readouterr().err.startswith("zhen: 1 file: 1 segment translated, ")


#: The real `translator_from_args` (so the real cache and its notices), with a tagging engine.
_WITH_CACHE = """
import sys
from tests.engines import CachingTaggingEngine
from translator import Translator
from translator.cli import common
from translator.cli.main import entry
from translator.glossary import Glossary

def tagging(**options):
    return Translator(engine=CachingTaggingEngine(), cache=options["cache"], glossary=Glossary([]))

common.Translator = tagging
entry(sys.argv[1:])
"""


def test_the_command_ends_without_a_last_collection_and_loses_nothing(tmp_path: Path) -> None:
    """`entry` ends the process without the interpreter's last collection: the output file
    and the translation cache must be whole all the same."""
    lines = [f"第{number}行：你好！" for number in range(200)]
    (tmp_path / "post.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-c", _WITH_CACHE, "file", str(tmp_path / "post.txt"), "--force"]
    runs = [subprocess.run(command, capture_output=True, env=env, cwd=REPO, timeout=120) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr.decode()
    translated = (tmp_path / "post.en.txt").read_text(encoding="utf-8").splitlines()
    assert translated == [f"en({line})" for line in lines]
    assert runs[0].stderr.decode().startswith("zhen: 1 file: 200 segments translated")
    assert runs[1].stderr.decode().startswith("zhen: 1 file: 0 segments translated, 200 from cache")


@pytest.mark.parametrize(
    "broken",
    [b"not a database at all" * 100, b"SQLite format 3\x00" + b"\x07" * 3000, None],
    ids=["text", "damaged header", "a folder"],
)
@pytest.mark.parametrize("command", ["translate", "file"])
def test_commands_go_on_with_a_broken_cache(tmp_path: Path, command: str, broken: bytes | None) -> None:
    cache = tmp_path / "cache" / "zhen" / "translations.sqlite3"
    cache.parent.mkdir(parents=True)
    if broken is None:
        cache.mkdir()  # a folder where the database should be
    else:
        cache.write_bytes(broken)
    (tmp_path / "post.txt").write_text("你好！\n", encoding="utf-8")
    args = ["translate", "你好！"] if command == "translate" else ["file", str(tmp_path / "post.txt")]
    done = subprocess.run(
        [sys.executable, "-c", _WITH_CACHE, *args],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(tmp_path / "cache")},
        cwd=REPO,
        timeout=120,
    )
    errors = done.stderr.decode()
    assert done.returncode == 0, errors
    assert "Traceback" not in errors
    notice, *summary = errors.splitlines()
    assert len(summary) == (command == "file")  # `zhen file` ends with its summary line
    assert notice.startswith(f"zhen: translation cache {cache} was broken (")
    assert "moved it to" in notice and ".broken-" in notice
    if command == "translate":
        assert done.stdout.decode() == "en(你好！)\n"
    # The fresh cache works: a second run is served from it.
    assert [path.name for path in cache.parent.iterdir() if path.name == cache.name] == [cache.name]
