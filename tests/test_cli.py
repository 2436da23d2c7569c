"""`zhen translate` and `zhen models` as a user runs them: exit codes, stdin, one-line errors."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.imports import modules_after
from translator.cli.main import COMMAND_MODULES, build_parser, main

REPO = Path(__file__).resolve().parents[1]


def zhen(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess, as a user would (stdin is a pipe, not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "translator.cli.main", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_missing_model_is_one_line_exit_1_no_traceback(tmp_path: Path) -> None:
    result = zhen("translate", "--models-dir", str(tmp_path), "你好")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("zhen: model opus-mt-zh-en is not installed")


@pytest.mark.parametrize(
    "args",
    [
        ["translate", "--beam", "0", "hi"],
        ["translate", "--to", "fr", "hi"],
        ["translate", "--backend", "gpu", "hi"],
        ["no-such-command"],
        ["models", "download", "fr-de"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = zhen(*args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("zhen: ")


def test_unsupported_language_exit_2(tmp_path: Path) -> None:
    result = zhen("translate", "--models-dir", str(tmp_path), "ありがとうございます")
    assert result.returncode == 2
    assert "Japanese" in result.stderr


def test_models_status_on_an_empty_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "--models-dir", str(tmp_path), "status"]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path) in out
    assert "zh-en" in out and "not installed" in out
    assert "zhen models download" in out


def test_models_download_offline_is_fast_and_clear(tmp_path: Path) -> None:
    result = zhen("models", "--models-dir", str(tmp_path), "download", "zh-en", env={"HF_ENDPOINT": "http://127.0.0.1:9"})
    assert result.returncode == 1
    assert "zhen models import PATH" in result.stderr
    assert "Traceback" not in result.stderr


def test_models_import_and_status(tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "opus-mt-zh-en"
    import shutil

    shutil.copytree(tiny_model_dir, source)
    store = tmp_path / "store"
    assert main(["models", "--models-dir", str(store), "import", str(source), "--no-convert"]) == 0
    main(["models", "--models-dir", str(store), "status"])
    out = capsys.readouterr().out
    assert "Imported opus-mt-zh-en" in out
    assert "backends ready: transformers" in out


def test_translate_reads_stdin_and_prints_json(memorised_store: Path) -> None:
    from tests.modelkit import ZH_EN_PAIRS

    source, expected = ZH_EN_PAIRS[0]
    result = zhen("translate", "--models-dir", str(memorised_store), "--json", "--no-cache", stdin=source)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["text"], data["source"], data["target"]) == (expected, "zh", "en")
    assert data["segments"][0]["status"] == "translated"


def test_options_without_a_command_go_to_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    import translator.cli.tui_cmd as tui_cmd

    seen: list[str | None] = []
    monkeypatch.setattr(tui_cmd, "run", lambda args: seen.append(args.models_dir) or 0)
    assert main(["--models-dir", "/tmp/store"]) == 0
    assert seen == ["/tmp/store"]


@pytest.mark.parametrize("command", COMMAND_MODULES)
def test_each_command_module_registers_its_own_commands(command: str) -> None:
    parser = build_parser(command)
    (subparsers,) = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    assert command in subparsers.choices
    assert {COMMAND_MODULES[name] for name in subparsers.choices} == {COMMAND_MODULES[command]}


def test_help_lists_every_command() -> None:
    out = zhen("--help").stdout
    assert all(f"    {command}" in out for command in COMMAND_MODULES)


@pytest.mark.parametrize(("command", "resting"), [(["translate", "你好"], True), ([], False), (["tui"], False)])
def test_the_collector_rests_during_start_up_except_in_the_app(command: list[str], resting: bool) -> None:
    # In a process of its own: the rest ends with gc.freeze(), which would keep the test run's
    # garbage forever. The app manages the collector itself (tui.start).
    script = (
        "import gc, json, sys, time\n"
        "import translator.cli.main as cli\n"
        "def command(arguments):\n"
        "    during = gc.isenabled()\n"
        "    time.sleep(0.5)\n"
        "    print(json.dumps([arguments[0], during, gc.isenabled()]))\n"
        "    return 0\n"
        "cli.START_UP_REST = 0.1\n"
        "cli.main = command\n"
        f"cli.entry({command!r})\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    name, during, after = json.loads(done.stdout)
    assert name == (command[0] if command else "tui")
    assert (during, after) == (not resting, True)


def test_the_app_and_translate_do_not_import_the_files_package() -> None:
    loaded = modules_after(
        "from translator.cli.main import build_parser\n"
        "for command in ('tui', 'translate'): build_parser(command).parse_args([command])"
    )
    assert "translator.cli.tui_cmd" in loaded
    assert not [name for name in loaded if name.startswith(("translator.files", "translator.serve"))]


def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    """`zhen gloss < long.txt | head -1`: the closed pipe ends the command with status 0 and
    nothing on stderr, through the real entry point and its end of the process."""
    lines = "".join(f"第{number}行：你好世界，今天天气很好。\n" for number in range(3000))
    process = subprocess.Popen(
        [sys.executable, "-m", "translator.cli.main", "gloss"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    process.stdin.write(lines.encode())
    process.stdin.close()
    first = process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=120) == 0
    assert process.stderr.read() == b""
    assert first.decode().startswith("第")
