"""`zhen models`: see, download, import and convert the translation models."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from translator.errors import ZhenError
from translator.languages import MODELS, ModelSpec, model_by_pair
from translator.store import ModelStore


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "models",
        help="see, download, import or convert translation models",
        description="Manage the OPUS-MT models zhen translates with.",
    )
    store_option = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an action's own default must not overwrite a --models-dir given before the action.
    store_option.add_argument(
        "--models-dir", metavar="DIR", default=argparse.SUPPRESS, help="model store folder (default: see `status`)"
    )
    parser.add_argument("--models-dir", metavar="DIR", help="model store folder (default: see `status`)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))

    status = actions.add_parser(
        "status", parents=[store_option], help="what is installed, sizes, revisions, backends ready"
    )
    status.set_defaults(func=run_status)

    download = actions.add_parser(
        "download", parents=[store_option], help="download models from the Hugging Face hub (needs internet)"
    )
    download.add_argument("which", nargs="?", default="all", help="zh-en, en-zh or all (default: all)")
    download.add_argument("--force", action="store_true", help="download again even if present")
    download.add_argument("--no-convert", action="store_true", help="skip the CTranslate2 conversion")
    download.set_defaults(func=run_download)

    imported = actions.add_parser(
        "import", parents=[store_option], help="install a model from a folder (offline)"
    )
    imported.add_argument("path", type=Path, help="folder holding config.json, vocab.json, *.spm and weights")
    imported.add_argument("--force", action="store_true", help="replace an installed model")
    imported.add_argument("--no-convert", action="store_true", help="skip the CTranslate2 conversion")
    imported.set_defaults(func=run_import)

    convert = actions.add_parser(
        "convert", parents=[store_option], help="make the fast CTranslate2 int8 copy of installed models"
    )
    convert.add_argument("which", nargs="?", default="all", help="zh-en, en-zh or all (default: all)")
    convert.add_argument("--force", action="store_true", help="convert again even if present")
    convert.set_defaults(func=run_convert)
    parser.set_defaults(func=run_status)


def _selected(which: str) -> list[ModelSpec]:
    return list(MODELS.values()) if which == "all" else [model_by_pair(which)]


def _size(size: int) -> str:
    return f"{size / 1e6:.0f} MB" if size else "-"


def run_status(args: argparse.Namespace) -> int:
    store = ModelStore(args.models_dir)
    print(f"Model store: {store.root}")
    report = store.status()
    broken: list[str] = []
    for status in report:
        if not status.present and not status.converted:
            state = "not installed"
        elif status.problem:
            state = f"BROKEN: {status.problem}"
            broken.append(status.spec.pair)
        else:
            state = f"installed, {_size(status.size_bytes)}, revision {status.revision}"
        backends = ", ".join(status.backends) or "none"
        print(f"  {status.spec.pair}  {status.spec.name:<15} {state}; backends ready: {backends}")
    for pair in broken:
        print(f"Fix {pair}: `zhen models import PATH --force` (a good copy) or `zhen models download {pair} --force`.")
    missing = [s.spec.pair for s in report if not s.present and not s.converted]
    if missing:
        print(
            f"Install with `zhen models download {' '.join(missing) if len(missing) == 1 else 'all'}` "
            "(needs internet) or `zhen models import PATH`."
        )
    return 0


def _convert(store: ModelStore, spec: ModelSpec, force: bool = False) -> bool:
    """Convert one model; a failure is reported but does not undo the install."""
    from translator.engines.convert import ctranslate2_available

    if not ctranslate2_available():
        print("ctranslate2 is not installed: zhen will use the slower transformers backend.", file=sys.stderr)
        return False
    print(f"Converting {spec.name} to CTranslate2 int8...", file=sys.stderr)
    try:
        path = store.convert(spec, force=force)
    except ZhenError as error:
        print(f"zhen: {error}", file=sys.stderr)
        return False
    print(f"Converted: {path}")
    return True


def run_download(args: argparse.Namespace) -> int:
    store = ModelStore(args.models_dir)
    ok = True
    for spec in _selected(args.which):
        path = store.download(spec, force=args.force)
        print(f"Installed {spec.name} in {path}")
        if not args.no_convert:
            ok = _convert(store, spec) and ok
    return 0 if ok else 1


def run_import(args: argparse.Namespace) -> int:
    from translator.engines.convert import ctranslate2_available

    store = ModelStore(args.models_dir)
    convert = not args.no_convert and ctranslate2_available()
    proof = "converting it to CTranslate2 int8" if convert else "loading it"
    print(f"Checking {args.path} ({proof})...", file=sys.stderr)
    spec = store.import_model(args.path, force=args.force, convert=convert)
    print(f"Imported {spec.name} into {store.model_dir(spec)}")
    if convert:
        print(f"Converted: {store.converted_dir(spec)}")
    return 0


def run_convert(args: argparse.Namespace) -> int:
    store = ModelStore(args.models_dir)
    ok = True
    for spec in _selected(args.which):
        if not store.model_dir(spec).exists():
            if args.which != "all":
                store.require(spec)
            continue
        if store.converted(spec) and not args.force:
            print(f"{spec.name} is already converted ({store.converted_dir(spec)}); --force converts it again")
            continue
        ok = _convert(store, spec, force=args.force) and ok
    return 0 if ok else 1
