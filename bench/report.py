"""Turn the benchmark's raw runs into figures, targets, a terminal table, JSON and Markdown."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from dataclasses import dataclass
from importlib import metadata
from typing import Any

NAIVE = "naive-transformers"
LOOP = "ctranslate2-loop"
BATCHED = "ctranslate2-batched"
ZHEN = "zhen-library"
ZHEN_FILE = "zhen-file"
ZHEN_FILE_TRANSFORMERS = "zhen-file-transformers"
ZHEN_TRANSFORMERS = "zhen-library-transformers"


COLUMNS = ("contender", "workload", "lines", "tokens", "runs", "median s", "CPU s", "tokens/s", "lines/s",
           "x naive", "x ct2 loop", "peak RSS MB")  # fmt: skip


def machine_info() -> dict[str, Any]:
    """What the figures depend on: CPU, cores, memory, software versions, and how busy the
    machine was (other work on a shared machine slows every contender)."""
    info: dict[str, Any] = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": round(_ram_bytes() / 2**30, 1),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    for package in ("torch", "transformers", "ctranslate2", "sentencepiece", "textual"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = None
    return info


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_bytes() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


@dataclass(frozen=True)
class Row:
    """Median figures of one contender on one workload."""

    contender: str
    workload: str
    lines: int
    reference_tokens: int
    runs: int
    seconds: float
    #: CPU time of the contender's process over the same span (all its threads): a busy machine
    #: stretches wall time far more than CPU time.
    cpu_seconds: float
    #: `zhen file`: seconds from process start to exit minus the translation itself.
    startup_seconds: float | None
    tokens_per_second: float
    lines_per_second: float
    peak_rss_mb: float | None

    def as_dict(self) -> dict[str, Any]:
        return {key: _round(value) for key, value in self.__dict__.items()}


def _round(value: Any) -> Any:
    return round(value, 3) if isinstance(value, float) else value


def summarise(runs: list[dict[str, Any]], workloads: dict[str, dict[str, Any]], rss: dict[str, float]) -> list[Row]:
    """One row per (contender, workload), in the order they first ran; medians over rounds.

    Tokens per second counts the workload's reference tokens (what the sentence-by-sentence
    contenders decode), so a contender that decodes less thanks to caching or de-duplication
    shows it as speed, which is what its user sees."""
    rows: list[Row] = []
    seen: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for run in runs:
        seen.setdefault((run["contender"], run["workload"]), []).append(run)
    for (contender, workload), group in seen.items():
        seconds = statistics.median(run["seconds"] for run in group)
        startup = [run["seconds"] - run["translate_seconds"] for run in group if "translate_seconds" in run]
        peaks = [run["peak_rss_mb"] for run in group if "peak_rss_mb" in run]
        info = workloads[workload]
        rows.append(
            Row(
                contender=contender,
                workload=workload,
                lines=info["lines"],
                reference_tokens=info["reference_tokens"],
                runs=len(group),
                seconds=seconds,
                cpu_seconds=statistics.median(run["cpu_seconds"] for run in group),
                startup_seconds=statistics.median(startup) if startup else None,
                tokens_per_second=info["reference_tokens"] / seconds,
                lines_per_second=info["lines"] / seconds,
                peak_rss_mb=max(peaks) if peaks else rss.get(contender),
            )
        )
    return rows


def rate(rows: list[Row], contender: str, workload_prefix: str) -> float | None:
    for row in rows:
        if row.contender == contender and row.workload.startswith(workload_prefix):
            return row.tokens_per_second
    return None


def translation_rate(rows: list[Row], runs: list[dict[str, Any]], contender: str, workload_prefix: str) -> float | None:
    """Tokens per second of a `zhen file` contender counting the translation alone (no start-up)."""
    for row in rows:
        if row.contender == contender and row.workload.startswith(workload_prefix):
            key = (contender, row.workload)
            times = [r["translate_seconds"] for r in runs if (r["contender"], r["workload"]) == key]
            return row.reference_tokens / statistics.median(times)
    return None


def targets(rows: list[Row], runs: list[dict[str, Any]], extras: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with the measured value; `met` is None when not measured."""
    naive = rate(rows, NAIVE, "flores")
    loop_flores, loop_social = rate(rows, LOOP, "flores"), rate(rows, LOOP, "social")

    def ratio(a: float | None, b: float | None) -> float | None:
        return a / b if a is not None and b else None

    file_rss = [r["peak_rss_mb"] for r in runs if r["contender"] in (ZHEN_FILE, ZHEN_FILE + "-beam1")]
    file_rss_tf = [r["peak_rss_mb"] for r in runs if r["contender"] == ZHEN_FILE_TRANSFORMERS]
    zhen, zhen_file = rate(rows, ZHEN, "flores"), rate(rows, ZHEN_FILE, "flores")
    zhen_social, zhen_file_social = rate(rows, ZHEN, "social"), rate(rows, ZHEN_FILE, "social")
    transformers_path = rate(rows, ZHEN_TRANSFORMERS, "flores")
    transformers_file = translation_rate(rows, runs, ZHEN_FILE_TRANSFORMERS, "flores")
    cold = extras.get("cold_start", {}).get("zhen translate (forced length)", {})
    tui = extras.get("tui", {})
    batched = rate(rows, BATCHED, "flores")
    digests = {r["outputs"] for r in runs if r["contender"].startswith("ctranslate2-") and "outputs" in r}
    zhen_digests = {r["text_outputs"] for r in runs if r["contender"] == ZHEN and r.get("workload") == "flores"}
    items = [
        ("zhen library vs hand-batched CTranslate2, FLORES, beam 4", ratio(zhen, batched), ">=", 1.3, "x"),
        ("zhen file (incl. start-up) vs hand-batched CTranslate2, FLORES, beam 4",
         ratio(zhen_file, batched), ">=", 1.3, "x"),
        ("distinct outputs among raw CTranslate2 batched settings (1 = token for token identical)",
         float(len(digests)) if digests else None, "<=", 1.0, ""),
        ("distinct zhen library outputs on FLORES across rounds (1 = identical)",
         float(len(zhen_digests)) if zhen_digests else None, "<=", 1.0, ""),
        ("zhen library (ct2 int8, beam 4) vs naive transformers, tokens/s", ratio(zhen, naive), ">=", 10.0, "x"),
        ("zhen file (ct2 int8, beam 4, with start-up) vs naive", ratio(zhen_file, naive), ">=", 10.0, "x"),
        ("zhen library vs raw CTranslate2 loop, FLORES", ratio(zhen, loop_flores), ">=", 0.9, "x"),
        ("zhen file (incl. start-up) vs raw CTranslate2 loop, FLORES", ratio(zhen_file, loop_flores), ">=", 0.9, "x"),
        ("zhen library vs raw CTranslate2 loop, posts with repeats", ratio(zhen_social, loop_social), ">", 1.0, "x"),
        ("zhen file (incl. start-up) vs raw CTranslate2 loop, posts with repeats",
         ratio(zhen_file_social, loop_social), ">", 1.0, "x"),
        ("zhen translate cold start, process start to output (median)", cold.get("to_output"), "<=", 1.0, "s"),
        ("TUI interactive, process start to first frame (median)", tui.get("interactive"), "<=", 1.0, "s"),
        ("TUI first translation on screen, from process start (median)", tui.get("first_translation"), "<=", 1.0, "s"),
        ("zhen file peak RSS, CTranslate2 path", max(file_rss) if file_rss else None, "<=", 600.0, "MB"),
        ("zhen file peak RSS, transformers path", max(file_rss_tf) if file_rss_tf else None, "<=", 1536.0, "MB"),
        ("zhen library, transformers path (no CTranslate2) vs naive transformers",
         ratio(transformers_path, naive), ">=", 3.0, "x"),
        ("zhen file, transformers path (with model loading) vs naive transformers",
         ratio(transformers_file, naive), ">=", 3.0, "x"),
    ]  # fmt: skip
    checks = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b}
    return [
        {
            "target": name,
            "value": _round(value),
            "goal": f"{sign} {goal:g} {unit}",
            "met": None if value is None else checks[sign](value, goal),
        }
        for name, value, sign, goal, unit in items
    ]


def print_report(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:  # a log file or pipe: do not squeeze the tables into 80 columns
        console = Console(width=160)
    machine = result["machine"]
    console.print(
        f"[bold]zhen benchmark[/bold] ({result['mode']}) on {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['ram_gb']} GB; load average {machine['load_average_at_start']} at start"
    )
    table = Table(title="Throughput (medians over rounds; tokens = forced target tokens of the workload)")
    for column in COLUMNS:
        table.add_column(column, justify="left" if column in ("contender", "workload") else "right")
    for row in result["rows"]:
        table.add_row(*_cells(row, result["rows"]))
    console.print(table)
    extras = Table(title="Start-up (medians, from process start)")
    extras.add_column("what")
    extras.add_column("seconds", justify="right")
    extras.add_column("peak RSS MB", justify="right")
    for name, figures in result["cold_start"].items():
        extras.add_row(f"{name}: to output", _fmt(figures.get("to_output")), _fmt(figures.get("peak_rss_mb"), 0))
    tui = result["tui"]
    if tui:
        extras.add_row("TUI: interactive", _fmt(tui.get("interactive")), _fmt(tui.get("peak_rss_mb"), 0))
        extras.add_row("TUI: first translation on screen", _fmt(tui.get("first_translation")), "")
    console.print(extras)
    goals = Table(title="Targets")
    for column in ("target", "measured", "goal", "met"):
        goals.add_column(column, justify="left" if column == "target" else "right")
    for item in result["targets"]:
        met = {True: "[green]yes[/green]", False: "[red]no[/red]", None: "not measured"}[item["met"]]
        goals.add_row(item["target"], _fmt(item["value"]), item["goal"], met)
    console.print(goals)


def _cells(row: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    def base(name: str) -> float | None:
        family = row["workload"].split("-")[0]
        found = (r for r in rows if r["contender"] == name and r["workload"].startswith(family))
        return next((r["tokens_per_second"] for r in found), None)

    naive, loop = base(NAIVE), base(LOOP)
    seconds = _fmt(row["seconds"])
    if row.get("startup_seconds") is not None:
        seconds += f" ({row['startup_seconds']:.1f} start)"
    return [
        row["contender"],
        row["workload"],
        str(row["lines"]),
        str(row["reference_tokens"]),
        str(row["runs"]),
        seconds,
        _fmt(row["cpu_seconds"], 1),
        _fmt(row["tokens_per_second"], 1),
        _fmt(row["lines_per_second"], 2),
        _fmt(row["tokens_per_second"] / naive, 1) if naive else "",
        _fmt(row["tokens_per_second"] / loop, 2) if loop else "",
        _fmt(row["peak_rss_mb"], 0),
    ]


def _fmt(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def markdown(result: dict[str, Any]) -> str:
    """The tables for README files."""
    machine = result["machine"]
    lines = [
        f"Run {result['started']} ({result['mode']}) on {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['ram_gb']} GB RAM, {machine['os']}; Python {machine['python']}, torch {machine['torch']}, "
        f"transformers {machine['transformers']}, CTranslate2 {machine['ctranslate2']}. "
        f"Load average at start {machine['load_average_at_start']}, at end {machine.get('load_average_at_end')}.",
        "",
        "| " + " | ".join(c for c in COLUMNS if c != "runs") + " |",
        "|---|---|" + "---:|" * (len(COLUMNS) - 3),
    ]
    for row in result["rows"]:
        cells = _cells(row, result["rows"])
        lines.append("| " + " | ".join(cells[:4] + cells[5:]) + " |")
    lines += ["", "| start-up | seconds | peak RSS MB |", "|---|---:|---:|"]
    for name, figures in result["cold_start"].items():
        seconds, peak = _fmt(figures.get("to_output")), _fmt(figures.get("peak_rss_mb"), 0)
        lines.append(f"| {name}: process start to output | {seconds} | {peak} |")
    tui = result["tui"]
    if tui:
        seconds, peak = _fmt(tui.get("interactive")), _fmt(tui.get("peak_rss_mb"), 0)
        lines.append(f"| TUI: process start to interactive | {seconds} | {peak} |")
        lines.append(f"| TUI: process start to first translation | {_fmt(tui.get('first_translation'))} | |")
    lines += ["", "| target | measured | goal | met |", "|---|---:|---:|:---:|"]
    for item in result["targets"]:
        met = {True: "yes", False: "**no**", None: "not measured"}[item["met"]]
        lines.append(f"| {item['target']} | {_fmt(item['value'])} | {item['goal']} | {met} |")
    return "\n".join(lines) + "\n"
