"""On a real pseudo-terminal, text from data (a user glossary, the input, file names) never drives
the terminal: no escape sequence, C1 control or bidi override from data reaches it raw."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

OSC_TITLE = "\x1b]0;pwned\x07"
OSC_LINK = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
CLEAR = "\x1b[2J"
C1_CSI = "\x9b31m"
BIDI = "\u202egnp.exe"
HOSTILE = OSC_TITLE + OSC_LINK + CLEAR + C1_CSI + BIDI
#: What must never appear in what the terminal receives (Rich's own colours may, in `zhen file`).
SIGNATURES = ("\x1b]", "\x1b[2J", "\x9b", "\u202e", "\x07")

#: Runs the CLI with a Translator whose engine tags what it was sent (no model needed) and the
#: user's glossary, so that `zhen translate` prints notes and translations from data.
_RUN = """
import sys
from tests.engines import TaggingEngine
from translator import Translator
from translator.cli import file_cmd, translate_cmd
from translator.cli.main import main
from translator.glossary import default_glossary

def tagging(args, **_):
    return Translator(engine=TaggingEngine(), cache=False, glossary=default_glossary())

translate_cmd.translator_from_args = tagging
file_cmd.translator_from_args = tagging
sys.exit(main(sys.argv[1:]))
"""


def on_a_terminal(args: list[str], env: dict[str, str], cwd: Path, stdin: bytes | None = None) -> tuple[int, str]:
    """Run the command with stdout and stderr on a pty; return its status and everything it wrote."""
    leader, follower = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", _RUN, *args],
        stdin=subprocess.PIPE if stdin is not None else follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm-256color", "COLUMNS": "200", **env},
        cwd=cwd,
    )
    os.close(follower)
    if stdin is not None:
        assert process.stdin is not None
        process.stdin.write(stdin)
        process.stdin.close()
    received = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    status = process.wait(timeout=60)
    os.close(leader)
    return status, received.decode("utf-8", "replace")


@pytest.fixture
def hostile_glossary(tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "config"
    (config / "zhen").mkdir(parents=True)
    escaped = json.dumps(HOSTILE)  # a TOML basic string takes JSON's escapes
    (config / "zhen" / "glossary.toml").write_text(
        "[[entry]]\n"
        'term = "打卡"\nlang = "zh"\npinyin = "dǎ kǎ"\n'
        f"meaning = {escaped}\nnote = {escaped}\n"
        'category = "platform"\nregister = "neutral"\n',
        encoding="utf-8",
    )
    return {"XDG_CONFIG_HOME": str(config), "XDG_CACHE_HOME": str(tmp_path / "cache")}


def assert_inert(output: str) -> None:
    for signature in SIGNATURES:
        assert signature not in output, f"{signature!r} reached the terminal: {output!r}"


@pytest.mark.parametrize(
    "args",
    [
        ["explain", f"周末去打卡{HOSTILE}"],
        ["translate", f"周末去打卡{HOSTILE}"],
        ["gloss", f"周末去打卡{HOSTILE}"],
        ["glossary", "search", "打卡"],
        ["glossary", "search", f"nothing{HOSTILE}"],
    ],
)
def test_commands_print_data_inert(args: list[str], hostile_glossary: dict[str, str], tmp_path: Path) -> None:
    status, output = on_a_terminal(args, hostile_glossary, tmp_path)
    assert status == 0, output
    assert_inert(output)
    assert "\x1b" not in output  # these commands write no colours of their own


def test_stdin_text_is_printed_inert(hostile_glossary: dict[str, str], tmp_path: Path) -> None:
    status, output = on_a_terminal(["translate", "-"], hostile_glossary, tmp_path, stdin=f"打卡{HOSTILE}".encode())
    assert status == 0, output
    assert_inert(output)
    assert "␛[2J" in output


def test_zhen_file_progress_and_errors_are_inert(hostile_glossary: dict[str, str], tmp_path: Path) -> None:
    name = f"post{OSC_TITLE}{CLEAR}"
    (tmp_path / f"{name}.txt").write_text("打卡！\n", encoding="utf-8")
    (tmp_path / f"{name}.srt").write_text(f"1\n{HOSTILE}\n", encoding="utf-8")
    status, output = on_a_terminal(["file", str(tmp_path)], hostile_glossary, tmp_path)
    assert status == 1, output
    assert_inert(output)
    # The output file keeps the text exactly: only the terminal gets the visible form.
    assert (tmp_path / f"{name}.en.txt").read_text(encoding="utf-8") == "en(打卡！)\n"


def test_json_output_keeps_the_text_exactly(hostile_glossary: dict[str, str], tmp_path: Path) -> None:
    status, output = on_a_terminal(["explain", "--json", f"打卡{HOSTILE}"], hostile_glossary, tmp_path)
    assert status == 0
    # The glossary whose values hold control characters is refused (one inert warning line on
    # stderr, which shares the pty); the JSON on stdout keeps the input text exactly, escaped.
    warning, _, document = output.replace("\r\n", "\n").partition("{")
    assert_inert(warning)
    data = json.loads("{" + document)
    assert data["text"] == f"打卡{HOSTILE}"
