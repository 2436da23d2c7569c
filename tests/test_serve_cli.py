"""`zhen serve` refuses unsafe or broken set-ups with one line and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.cli.main import main


def test_non_loopback_without_a_key_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--api-key" in err


def test_an_empty_keys_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("# no keys yet\n\n", encoding="utf-8")
    assert main(["serve", "--api-keys", str(keys)]) == 2
    assert "has no keys" in capsys.readouterr().err


def test_both_key_options_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--api-key", "a", "--api-keys", "b"])
    assert exit_info.value.code == 2


def test_help_lists_serve(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "serve" in capsys.readouterr().out
