"""Ray is optional: without it, `zhen file --ray` says how to install it, and nothing else needs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from translator.cli.main import main

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_without_ray_the_cli_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "posts.jsonl"
    source.write_text(json.dumps({"text": "你好"}, ensure_ascii=False) + "\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "ray", None)
    assert main(["file", str(source), "--to", "en", "--ray"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and 'pip install -e' in error and '[ray]' in error
    assert not (tmp_path / "posts.en.jsonl").exists()


def test_the_library_and_the_file_command_do_not_import_ray() -> None:
    code = "import sys, translator.distributed, translator.cli.file_cmd; print('ray' in sys.modules)"
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "False"
