"""Entry point of the `zhen` command: builds the parser and turns errors into one-line messages.

Start-up must stay fast (a one-shot `zhen translate` is judged on it), so this module and the
subcommand modules import nothing heavy at import time: torch, transformers and ctranslate2 are
loaded by the engines only when a translation actually runs.
"""

from __future__ import annotations

import argparse
import importlib
import io
import logging
import os
import sys
from collections.abc import Sequence

from translator.cli.common import print_notice

# Subcommand modules, in the order `zhen --help` lists them. Each has `register(subparsers)`.
COMMAND_MODULES = (
    "translator.cli.translate_cmd",
    "translator.cli.models_cmd",
    "translator.cli.glossary_cmd",
    "translator.cli.file_cmd",
    "translator.cli.tui_cmd",
    # The local HTTP server (optional `serve` extra).
    "translator.cli.serve_cmd",
)

#: What `zhen` with no subcommand runs.
DEFAULT_COMMAND = "tui"


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line plus a hint, with exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"zhen: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="zhen",
        description="Local Chinese<->English translator with notes on slang and culture. "
        "Nothing you type leaves your machine.",
    )
    from translator import __version__

    parser.add_argument("--version", action="version", version=f"zhen {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # torch and ctranslate2 share a process and both use OpenMP: busy-waiting threads from one
    # would steal the cores of the other.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # `zhen` and `zhen --models-dir DIR` open the app; `zhen --help` / `--version` stay the parser's.
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")):
        args_list = [DEFAULT_COMMAND, *args_list]
    args = parser.parse_args(args_list)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 2

    from translator.errors import ZhenError

    _configure_output()
    try:
        from translator.settings import check_environment

        for warning in check_environment():
            _warn(warning)
        return int(args.func(args) or 0)
    except ZhenError as error:
        # Messages quote data (file names, text): made inert like everything printed from data.
        print_notice(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("zhen: interrupted\n")
        return 130
    except BrokenPipeError:
        # `zhen ... | head` closed the pipe: not an error worth a message.
        sys.stderr.close()
        return 0


def _warn(message: str) -> None:
    print_notice(f"warning: {message}")


class _LibraryWarnings(logging.Handler):
    """The library's logged warnings (a broken user glossary) as one `zhen: warning:` line each."""

    def emit(self, record: logging.LogRecord) -> None:
        _warn(record.getMessage())


def _configure_output() -> None:
    library = logging.getLogger("translator")
    if not any(isinstance(handler, _LibraryWarnings) for handler in library.handlers):
        library.addHandler(_LibraryWarnings(logging.WARNING))
    library.propagate = False
    # Text that cannot be encoded (a lone surrogate from the data) is written escaped rather
    # than failing half-way through the output with a traceback.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


if __name__ == "__main__":
    raise SystemExit(main())
