"""`zhen file --ray`: each JSONL, CSV or Parquet input translated on a Ray cluster into a folder
of shards (`translator.distributed.translate_file_on_ray`), with one summary line per file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from translator.cli.common import print_notice
from translator.errors import UsageError
from translator.files.paths import Input


def run_on_ray(args: argparse.Namespace, fields: list[str] | None, inputs: list[Input], out_dir: Path | None) -> int:
    from translator.distributed import TranslatorSettings, connect, translate_file_on_ray
    from translator.files.errors import FileError

    if args.output == "-":
        raise UsageError("--ray writes a folder of shards, not standard output: use -o FOLDER or --out-dir")
    if args.encoding is not None:
        raise UsageError("--ray reads UTF-8 files: convert the input first, or leave out --ray")
    if args.no_header:
        raise UsageError("--ray reads CSV files with a header row: add one, or leave out --ray")
    settings = TranslatorSettings(
        models_dir=args.models_dir,
        backend=args.backend,
        beam_size=args.beam,
        cache=not args.no_cache,
        rewrite_slang=not args.no_rewrite,
        script="Hant" if args.traditional else "Hans",
    )
    ray = connect(args.ray)
    # Ray Data's bars on a terminal; elsewhere the lines per shard below say how far it got.
    ray.data.DataContext.get_current().enable_progress_bars = not args.quiet and sys.stderr.isatty()
    failed = 0
    for item in inputs:
        destination = Path(args.output) if args.output else out_dir / item.relative if out_dir else None

        def shard_done(shards: int, records: int, name: Path = item.relative) -> None:
            if not args.quiet:
                print_notice(f"{name}: {shards} shards written ({records} records this run)")

        try:
            result = translate_file_on_ray(
                item.path, destination, format=args.format, fields=fields, target=args.target,
                bilingual=args.bilingual, settings=settings, force=args.force, on_shard=shard_done,
            )  # fmt: skip
        except FileError as error:
            print_notice(str(error))
            failed += 1
            continue
        if not args.quiet:
            skipped = f", {result.skipped_shards} shards done by an earlier run" if result.skipped_shards else ""
            print_notice(
                f"{result.path} -> {result.output}/: {result.records} records in {result.shards} shards{skipped}"
                f" ({result.seconds:.1f}s)"
            )
    return 1 if failed else 0
