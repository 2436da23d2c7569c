"""`zhen serve`: a local LibreTranslate / DeepLX / DeepL-compatible translation server."""

from __future__ import annotations

import argparse
import ipaddress
import logging
from pathlib import Path

from translator.cli.common import add_engine_options, print_notice, translator_from_args
from translator.errors import UsageError, ZhenError, install_extra

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run a local translation server (LibreTranslate, DeepLX and DeepL APIs)",
        description="Serve zhen's translations over HTTP to browser extensions and tools that speak "
        "the LibreTranslate, DeepLX or DeepL API. Listens on this machine only unless --host says "
        "otherwise (which needs an API key). Needs the serve extra: make serve, or "
        "pip install -e '.[serve]' in zhen's folder.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    keys = parser.add_mutually_exclusive_group()
    keys.add_argument("--api-key", metavar="KEY", help="require this API key")
    keys.add_argument("--api-keys", metavar="FILE", type=Path, help="require one of the keys in FILE (one a line)")
    parser.add_argument("--char-limit", type=_positive, default=20_000, metavar="N", help="characters per request")
    parser.add_argument("--batch-limit", type=_positive, default=128, metavar="N", help="texts per request")
    parser.add_argument(
        "--cors", default="*", metavar="ORIGINS", help="comma-separated origins web pages may call from (default: *)"
    )
    parser.add_argument(
        "--batching",
        choices=("dynamic", "per-request", "serial"),
        default="dynamic",
        help="gather concurrent requests into one model batch (default), or not",
    )
    parser.add_argument("--lazy", action="store_true", help="load the models on the first request, not at start")
    parser.add_argument("--log-text", action="store_true", help="write the texts translated to the log")
    add_engine_options(parser)
    parser.set_defaults(func=run)


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number above 0, got {value!r}")
    return int(value)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_keys(path: Path) -> frozenset[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the API keys file {path}: {error}") from None
    keys = frozenset(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))
    if not keys:
        raise UsageError(f"the API keys file {path} has no keys (one a line)")
    return keys


def _log_requests() -> None:
    """The server's one line per request (counts and timings; texts only with --log-text) on stderr."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("zhen serve: %(message)s"))
    log = logging.getLogger("translator.serve")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def run(args: argparse.Namespace) -> int:
    api_keys = _read_keys(args.api_keys) if args.api_keys else frozenset({args.api_key} if args.api_key else ())
    if not api_keys and not _is_loopback(args.host):
        raise UsageError(f"listening on {args.host} lets other machines in: give --api-key KEY or --api-keys FILE")
    try:
        import uvicorn

        from translator.serve import ServeSettings, create_app
    except ImportError as error:
        missing = error.name
        raise ZhenError(f"zhen serve needs the serve extra ({missing} is missing): {install_extra('serve')}") from None
    settings = ServeSettings(
        api_keys=api_keys,
        char_limit=args.char_limit,
        batch_limit=args.batch_limit,
        cors_origins=tuple(origin.strip() for origin in args.cors.split(",") if origin.strip()),
        log_text=args.log_text,
        batch_mode=args.batching,
        preload=not args.lazy,
    )
    translator = translator_from_args(args, interactive=False)
    app = create_app(translator, settings, traditional=translator.with_script("Hant"))
    _log_requests()
    print_notice(f"serving on http://{args.host}:{args.port}/translate (Ctrl+C stops)")
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="info",
        access_log=args.log_text,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=5,
    )
    return 0
