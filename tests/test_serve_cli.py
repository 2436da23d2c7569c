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


def test_zhen_serve_answers_on_loopback(tmp_path: Path) -> None:
    pytest.importorskip("uvicorn")
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    from tests.serve_live import call

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "translator.cli.main", "serve", "--port", str(port), "--lazy"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    process = subprocess.Popen(
        [*command, "--models-dir", str(tmp_path)], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body, _ = call(f"http://127.0.0.1:{port}/health")
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert (status, body) == (200, {"status": "ok"})
        status, body, _ = call(f"http://127.0.0.1:{port}/translate", {"q": "你好", "source": "auto", "target": "en"})
        assert status == 500 and "model" in body["error"]  # no model in an empty store: said, not crashed
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/translate" in err
    assert "你好" not in err  # no text in the log without --log-text
