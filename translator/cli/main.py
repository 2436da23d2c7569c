"""Entry point of the `zhen` command: builds the parser and turns errors into one-line messages.

Start-up must stay fast (a one-shot `zhen translate` is judged on it), so this module and the
subcommand modules import nothing heavy at import time: torch, transformers and ctranslate2 are
loaded by the engines only when a translation actually runs.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import logging
import os
import sys
import threading
from collections.abc import Sequence
from typing import NoReturn

from translator.cli.common import print_notice

#: Each subcommand's module, in the order `zhen --help` lists them; a module's
#: `register(subparsers)` adds the subcommands of its keys here.
COMMAND_MODULES = {
    "translate": "translator.cli.translate_cmd",
    "models": "translator.cli.models_cmd",
    "explain": "translator.cli.glossary_cmd",
    "gloss": "translator.cli.glossary_cmd",
    "glossary": "translator.cli.glossary_cmd",
    "file": "translator.cli.file_cmd",
    "tui": "translator.cli.tui_cmd",
    # The local HTTP server (optional `serve` extra).
    "serve": "translator.cli.serve_cmd",
}

#: What `zhen` with no subcommand runs.
DEFAULT_COMMAND = "tui"
#: Commands that manage the cyclic garbage collector themselves (the app rests it until its
#: first frame is up: `tui.start`).
MANAGE_COLLECTOR = frozenset({"tui"})
#: Seconds the collector rests at the start of every other command. Start-up builds what lives
#: as long as the process (modules, the glossary, a tokenizer), which the collector would scan
#: again and again for nothing: 76 collections, 35 ms, before `zhen file` began decoding FLORES.
#: Resting it for good would let the cyclic garbage of a long run pile up.
START_UP_REST = 1.0


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line plus a hint, with exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"zhen: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(2)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """zhen's parser. Given one of the subcommands, only that one is registered, so that only its
    module is imported: `zhen tui` and `zhen translate` need not import the files package or the
    server's settings (~50 ms). Anything else (`--help`, a typo) gets them all."""
    parser = _Parser(
        prog="zhen",
        description="Local Chinese<->English translator with notes on slang and culture. "
        "Nothing you type leaves your machine.",
    )
    from translator import __version__

    parser.add_argument("--version", action="version", version=f"zhen {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = [command] if command in COMMAND_MODULES else COMMAND_MODULES
    for module in dict.fromkeys(COMMAND_MODULES[name] for name in wanted):
        importlib.import_module(module).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # torch and ctranslate2 share a process and both use OpenMP: busy-waiting threads from one
    # would steal the cores of the other.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    args_list = _with_command(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list[0])
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


def _with_command(argv: Sequence[str]) -> list[str]:
    """The arguments with the subcommand first: `zhen` and `zhen --models-dir DIR` open the app;
    `zhen --help` / `--version` stay the parser's."""
    arguments = list(argv)
    if not arguments or (arguments[0].startswith("-") and arguments[0] not in ("-h", "--help", "--version")):
        arguments = [DEFAULT_COMMAND, *arguments]
    return arguments


def entry(argv: Sequence[str] | None = None) -> NoReturn:
    """The `zhen` command itself (`[project.scripts]`): `main`, then the end of the process. The
    collector rests during start-up here, in a process of zhen's own: `main` is also called by
    programs and tests, whose collector is theirs."""
    arguments = _with_command(sys.argv[1:] if argv is None else argv)
    if arguments[0] not in MANAGE_COLLECTOR:
        _rest_collector(START_UP_REST)
    status = main(arguments)
    # What the command wrote is closed, and the process ends now: the interpreter's last
    # collection would scan every object it made (the glossary, a model's tokenizer) only to free
    # memory the system takes back anyway; 80 ms after `zhen file` on 2 cores.
    gc.freeze()
    raise SystemExit(status)


def _rest_collector(seconds: float) -> None:
    """Turn the cyclic collector off for `seconds`, then keep what exists by then out of every
    later collection (`gc.freeze`) and turn it back on."""
    if not gc.isenabled():
        return  # whoever turned it off (an embedding program, a test) decides

    def settle() -> None:
        gc.freeze()
        gc.enable()

    gc.disable()
    timer = threading.Timer(seconds, settle)
    timer.daemon = True
    timer.start()


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
    entry()
