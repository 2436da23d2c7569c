"""`zhen tui` (also plain `zhen`): open the terminal app."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from translator.cli.common import add_engine_options, translator_from_args

if TYPE_CHECKING:
    from translator import Translator


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tui",
        help="open the terminal app (what `zhen` alone does)",
        description="Paste a post to read it in your language, with notes on slang and culture, "
        "and write replies that land well. Works without models in dictionary mode.",
    )
    add_engine_options(parser)
    parser.set_defaults(func=run)


def app_translator(args: argparse.Namespace) -> Translator:
    """The app's translator, from `zhen tui`'s flags: tuned for a person waiting on each text."""
    return translator_from_args(args, interactive=True, status_to_stderr=False)


def run(args: argparse.Namespace) -> int:
    # Imported here: the CLI's other commands must not pay for Textual, and the library must not
    # depend on the app (only this entry point knows about it).
    from tui.start import head_start

    translator = app_translator(args)
    started = head_start(translator)  # the likely model loads while Textual is imported
    from tui.app import ZhenApp

    ZhenApp(translator, started=started).run()
    # The user asked to quit, so quit now: a model still loading in a worker thread cannot be
    # interrupted (the interpreter would wait for it), and freeing the dictionary and the models
    # one object at a time takes most of a second. Everything the app writes is already closed.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
