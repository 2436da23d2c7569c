"""Faults around files: signals, killed runs, racing runs, colliding outputs, odd inputs, full disks."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.engines import IdentityEngine, TaggingEngine
from tests.test_files_formats import translator_with
from translator.cli import file_cmd
from translator.cli.main import main
from translator.files import atomic, translate_file
from translator.files.errors import FileError, OutputExistsError
from translator.languages import UnsupportedLanguageError

REPO = Path(__file__).resolve().parents[1]

#: `zhen file` in a child process with an engine that takes a while per chunk and says when it
#: has started writing, so that a signal lands mid-run.
_SLOW_RUN = """
import sys, time
from pathlib import Path
from tests.engines import TaggingEngine
from tests.test_files_formats import translator_with
from translator.cli import file_cmd
from translator.cli.main import main

class Slow(TaggingEngine):
    def translate(self, segments, source, target):
        print("translating", flush=True)
        time.sleep(0.2)
        return super().translate(segments, source, target)

file_cmd.translator_from_args = lambda args, **_: translator_with(Slow())
sys.exit(main(["file", *sys.argv[1:]]))
"""


def _big_input(folder: Path) -> Path:
    source = folder / "big.txt"
    source.write_text("".join(f"第{i}行，你好！\n" for i in range(5000)), encoding="utf-8")
    return source


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".part"))


def _start_slow_run(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", _SLOW_RUN, *args, "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_leave_no_temp_file(tmp_path: Path, number: int) -> None:
    source = _big_input(tmp_path)
    run = _start_slow_run(str(source))
    assert run.stdout is not None
    for _ in range(3):  # a few chunks in: the temporary output exists
        assert run.stdout.readline().strip() == "translating"
    assert _leftovers(tmp_path), "the run should be writing its temporary file by now"
    run.send_signal(number)
    _, errors = run.communicate(timeout=60)
    assert run.returncode == 128 + number
    assert "Traceback" not in errors
    assert _leftovers(tmp_path) == []
    assert not (tmp_path / "big.en.txt").exists()


def test_a_killed_runs_temp_file_is_removed_by_the_next_run(tmp_path: Path) -> None:
    source = _big_input(tmp_path)
    run = _start_slow_run(str(source))
    assert run.stdout is not None
    for _ in range(3):
        assert run.stdout.readline().strip() == "translating"
    run.kill()
    run.wait(timeout=60)
    assert _leftovers(tmp_path)
    someone_elses = tmp_path / ".notes.txt.part"  # not named like zhen's: left alone
    someone_elses.write_text("mine")
    atomic._swept.clear()
    translate_file(source, None, translator_with(TaggingEngine()), target="en")
    assert _leftovers(tmp_path) == [someone_elses.name]
    assert (tmp_path / "big.en.txt").exists()


def test_a_running_processes_temp_file_is_kept(tmp_path: Path) -> None:
    live = tmp_path / f".post.en.txt.zhen-{os.getppid()}-abc123.part"
    live.write_text("half")
    old_style = tmp_path / ".post.en.txt.k2j4l5m6.part"
    old_style.write_text("half")
    hours_ago = time.time() - 2 * 3600
    os.utime(old_style, (hours_ago, hours_ago))
    atomic._swept.clear()
    atomic.remove_stale_temp_files(tmp_path)
    assert live.exists() and not old_style.exists()


def test_of_two_runs_racing_for_a_new_output_one_wins(tmp_path: Path) -> None:
    """The other run creates the output after this one checked for it: this one must not replace it."""
    source = tmp_path / "post.txt"
    source.write_text("你好！\n", encoding="utf-8")
    output = tmp_path / "post.en.txt"

    class OtherRunFinishesFirst(TaggingEngine):
        def translate(self, segments: list[str], source: str, target: str) -> list[str]:
            output.write_text("the other run's translation", encoding="utf-8")
            return super().translate(segments, source, target)

    with pytest.raises(OutputExistsError):
        translate_file(source, output, translator_with(OtherRunFinishesFirst()))
    assert output.read_text(encoding="utf-8") == "the other run's translation"
    assert _leftovers(tmp_path) == []


def test_same_names_from_two_folders_into_one_out_dir_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(file_cmd, "translator_from_args", lambda args, **_: translator_with(TaggingEngine()))
    for folder in ("d1", "d2"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(f"{folder}你好！\n", encoding="utf-8")
    out = tmp_path / "out"
    status = main(
        ["file", str(tmp_path / "d1" / "a.txt"), str(tmp_path / "d2" / "a.txt"), "--out-dir", str(out), "--force"]
    )
    assert status == 2
    error = capsys.readouterr().err
    assert "would both be written to" in error and str(out / "a.txt") in error
    assert not out.exists()
    # Folders collide the same way; one file named twice is translated once.
    assert main(["file", str(tmp_path / "d1"), str(tmp_path / "d2"), "--out-dir", str(out)]) == 2
    assert main(["file", str(tmp_path / "d1" / "a.txt"), str(tmp_path / "d1"), "--out-dir", str(out), "--quiet"]) == 0
    assert (out / "a.txt").read_text(encoding="utf-8") == "en(d1你好！)\n"


def test_a_named_pipe_is_not_a_regular_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    with pytest.raises(FileError, match=r"pipe\.txt: not a regular file \(a named pipe\)"):
        translate_file(pipe, tmp_path / "out.txt", translator_with(IdentityEngine()))
    with pytest.raises(FileError, match=r"null: not a regular file \(a device or socket\)"):
        translate_file("/dev/null", tmp_path / "out.txt", translator_with(IdentityEngine()))


def test_a_path_with_rich_markup_does_not_break_the_progress_display(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(file_cmd, "translator_from_args", lambda args, **_: translator_with(TaggingEngine()))
    folder = tmp_path / "[" / "x]"  # the paths read `.../[/x]/...`
    folder.mkdir(parents=True)
    (folder / "[bold]post.txt").write_text("你好！\n", encoding="utf-8")
    (folder / "[red]bad.srt").write_text("1\nnot a timing\n", encoding="utf-8")
    assert main(["file", str(tmp_path / "["), "--progress"]) == 1
    errors = capsys.readouterr().err
    assert "[/x]/[red]bad.srt:2: bad timing line" in errors
    assert (folder / "[bold]post.en.txt").exists()


def test_a_full_disk_names_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "big.txt"
    source.write_text("你好！\n", encoding="utf-8")

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full)
    output = tmp_path / "out" / "big.en.txt"
    with pytest.raises(FileError) as caught:
        translate_file(source, output, translator_with(TaggingEngine()))
    assert str(caught.value) == f"{output}: cannot write: No space left on device"
    assert not output.exists() and _leftovers(output.parent) == []


class PerTextErrors:
    """A Translator with `translate_batch(errors="return")` (the library's per-text error mode):
    texts with 坏 fail alone, with a one-line reason, and come back unchanged."""

    def __init__(self) -> None:
        self.inner = translator_with(TaggingEngine())
        self.modes: list[str] = []

    def translate_batch(
        self,
        texts: list[str],
        target: str | None = None,
        *,
        notes: bool = True,
        errors: str = "raise",
        languages: list[str] | None = None,
    ) -> list[object]:
        self.modes.append(errors)
        good = [text for text in texts if "坏" not in text]
        if len(good) < len(texts) and errors == "raise":
            raise UnsupportedLanguageError("ja")
        done = iter(self.inner.translate_batch(good, target, notes=notes))
        no_segments = {"translated": 0, "cached": 0, "kept": 0}
        return [
            SimpleNamespace(text=text, counts=no_segments, error=f"cannot translate {text!r}: broken")
            if "坏" in text
            else next(done)
            for text in texts
        ]


def test_one_failing_text_among_999_is_kept_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "posts.txt"
    lines = [f"第{i}条，你好！" for i in range(999)]
    lines.insert(500, "坏的帖子")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    translator = PerTextErrors()
    result = translate_file(source, tmp_path / "out.txt", translator)  # type: ignore[arg-type]
    written = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
    assert written[500] == "坏的帖子"
    assert written[0] == "en(第0条，你好！)" and len(written) == 1000
    assert set(translator.modes) == {"return"}
    assert (result.translated, result.failed_texts) == (999, 1)
    assert result.text_errors == ("cannot translate '坏的帖子': broken",)
    # The command says so in its summary and exits 1; the file is still written.
    monkeypatch.setattr(file_cmd, "translator_from_args", lambda args, **_: PerTextErrors())
    assert main(["file", str(source), "-o", str(tmp_path / "cli.txt")]) == 1
    summary = capsys.readouterr().err
    assert "1 text not translated (kept as they were: cannot translate '坏的帖子': broken)" in summary
    assert (tmp_path / "cli.txt").exists()


def test_sighup_when_the_terminal_is_gone_leaves_no_temp_file(tmp_path: Path) -> None:
    """With the progress bar on a terminal that hung up, the clean exit must not trip over it."""
    source = _big_input(tmp_path)
    leader, follower = os.openpty()
    run = subprocess.Popen(
        [sys.executable, "-c", _SLOW_RUN, str(source)],
        stdout=follower,
        stderr=follower,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
    )
    os.close(follower)
    seen = b""
    while seen.count(b"translating") < 3:
        seen += os.read(leader, 4096)
    run.send_signal(signal.SIGHUP)  # the terminal hangs up ...
    os.close(leader)  # ... and is gone while zhen cleans up
    assert run.wait(timeout=60) == 128 + signal.SIGHUP
    assert _leftovers(tmp_path) == []
