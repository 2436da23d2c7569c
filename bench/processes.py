"""Everything the benchmark runs in a process of its own, and how each is timed and weighed.

Peak RSS is per process: workers report their own `ru_maxrss`; one-shot commands are reaped with
`os.wait4`, which returns the resource usage of exactly that child.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bench.contenders import RATIO, Workload

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


class BenchError(Exception):
    """A contender failed; the message says where its log is."""


def isolated_env(home: Path) -> dict[str, str]:
    """The environment of every benchmark process: zhen's user folders (translation cache,
    history, user glossary) inside `home`, so runs never touch the user's real ones and a fresh
    `home` means a cold translation cache. OpenMP threads sleep when idle (zhen's CLI sets the
    same), so an idle contender never takes CPU from the one being timed."""
    env = dict(os.environ)
    for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        env[variable] = str(home / variable.lower())
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    env.pop("ZHEN_MODELS_DIR", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


class Worker:
    """A `bench.worker` process holding one loaded contender."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("w", encoding="utf-8")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.worker", name],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            encoding="utf-8",
        )

    def send(self, message: dict[str, Any]) -> None:
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            raise BenchError(f"{self.name} stopped: see {self.log_path}") from None

    def receive(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise BenchError(f"{self.name} stopped: see {self.log_path}")
        return json.loads(line)

    def ask(self, message: dict[str, Any]) -> dict[str, Any]:
        self.send(message)
        return self.receive()

    def close(self) -> float:
        """Stop the worker; its peak RSS in MB."""
        try:
            peak = float(self.ask({"quit": True})["peak_rss_mb"])
        finally:
            self._process.wait(timeout=60)
            self._log.close()
        return peak

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._log.close()


@dataclass(frozen=True)
class Timed:
    """A one-shot process: seconds from start to each line it printed, to exit, the CPU time it
    used and its peak RSS."""

    lines: dict[str, float]
    output: str
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float


def run_timed(command: list[str], env: dict[str, str], log: IO[str]) -> Timed:
    """Run `command`, noting when each stdout line appears (from just before the process is
    created), and reap it with `os.wait4` for its own peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    assert process.stdout is not None
    lines: dict[str, float] = {}
    output = []
    for line in process.stdout:
        lines.setdefault(line.strip(), time.perf_counter() - started)
        output.append(line)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        log.flush()
        raise BenchError(f"{' '.join(command[:4])} ... exited with {process.returncode}: see {log.name}")
    return Timed(lines, "".join(output), seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def zhen_command(*arguments: str) -> list[str]:
    """zhen's real command line, with outputs forced to the benchmark's length."""
    return [sys.executable, str(BENCH / "zhen_forced.py"), str(RATIO), *arguments]


#: Slang whose senses need word segmentation, so that a run on it builds every per-user cache.
FIRST_RUN_TEXT = "这家火锅真的绝绝子，yyds！笑死，我直接破防了。"


def first_run(home: Path, log: IO[str]) -> None:
    """What the very first run of zhen on a machine does once, in `home`: compile the glossary and
    build the segmenter's dictionary and counts (about 3 CPU s, `zhen gloss` needs no model).
    Every timed run then finds them, as every later run of a user's does; without this, the first
    round of whichever zhen contender ran first paid for it."""
    run_timed(zhen_command("gloss", FIRST_RUN_TEXT), isolated_env(home), log)


def zhen_file(store: Path, workload: Workload, beam: int, backend: str, home: Path, log: IO[str]) -> dict[str, Any]:
    """`zhen file` on the workload's lines as a .txt file, in a fresh process with a cold
    translation cache.

    `seconds` is from process start to exit (what the user waits for); `translate_seconds` is
    the translation alone, as `zhen file --json-summary` reports it."""
    with tempfile.TemporaryDirectory(prefix="zhen-bench-file-") as scratch:
        folder = Path(scratch)
        source, output = folder / f"{workload.name}.txt", folder / f"{workload.name}.en.txt"
        source.write_text("\n".join(workload.lines) + "\n", encoding="utf-8")
        command = zhen_command(
            "file", str(source), "-o", str(output), "--force", "--quiet", "--json-summary",
            "--models-dir", str(store), "--beam", str(beam), "--backend", backend,
        )  # fmt: skip
        timed = run_timed(command, _cold_translations(home), log)
    summary = json.loads(timed.output)
    return {
        "seconds": timed.seconds,
        "cpu_seconds": timed.cpu_seconds,
        "translate_seconds": summary["seconds"],
        "peak_rss_mb": timed.peak_rss_mb,
        "segments": {key: summary[key] for key in ("translated", "cached", "kept")},
    }


def cold_start(command: list[str], home: Path, log: IO[str]) -> dict[str, float]:
    """One `zhen translate` from process start: to its first line of output, and to exit."""
    timed = run_timed(command, _cold_translations(home), log)
    first = min(timed.lines.values()) if timed.lines else timed.seconds
    return {"to_output": first, "to_exit": timed.seconds, "peak_rss_mb": timed.peak_rss_mb}


def _cold_translations(home: Path) -> dict[str, str]:
    """The environment of a zhen process that starts with an empty translation cache, so the
    model really runs; the glossary's compiled cache in the same folder is kept, as on any run
    of zhen after the very first."""
    env = isolated_env(home)
    for stale in (Path(env["XDG_CACHE_HOME"]) / "zhen").glob("translations.sqlite3*"):
        stale.unlink()
    return env


def tui_first_translation(store: Path, text: str, home: Path, log: IO[str]) -> dict[str, float]:
    """zhen's TUI from process start to interactive, and to its first translation on screen,
    with an empty translation cache and the glossary's compiled cache in `home` kept."""
    command = [sys.executable, "-m", "bench.tui_first", str(store), str(RATIO), text]
    timed = run_timed(command, _cold_translations(home), log)
    return {
        "interactive": timed.lines["interactive"],
        "first_translation": timed.lines["translated"],
        "peak_rss_mb": timed.peak_rss_mb,
    }
