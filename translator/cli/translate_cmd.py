"""`zhen translate`: translate text from the arguments or standard input."""

from __future__ import annotations

import argparse
import sys

from translator.cli.common import (
    add_engine_options,
    add_target_option,
    for_terminal,
    print_json,
    read_text_arguments,
    translator_from_args,
)
from translator.cli.notes_format import add_notes_language_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "translate",
        help="translate text (arguments or stdin)",
        description="Translate Chinese to English or English to Chinese, with notes on slang and culture.",
    )
    parser.add_argument("text", nargs="*", metavar="TEXT", help="text to translate; `-` or nothing reads stdin")
    add_target_option(parser)
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument("--no-notes", action="store_true", help="do not print glossary notes")
    add_notes_language_option(parser, "the language translated into, the reader's")
    add_engine_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text = read_text_arguments(args.text, "translate", "text to translate")
    translator = translator_from_args(args, interactive=True)
    result = translator.translate(text, target=args.target, notes_in=args.notes_in)
    if args.json:
        data = result.to_dict()
        if args.no_notes:
            data.pop("notes")
        print_json(data)
        return 0
    sys.stdout.write(for_terminal(result.text if result.text.endswith("\n") else result.text + "\n"))
    if not args.no_notes:
        from translator.cli.notes_format import format_notes, format_rewrites

        lines = format_rewrites(result.rewrites, result.notes_in) + format_notes(result.notes)
        if lines:
            sys.stdout.write(for_terminal("\n" + "\n".join(lines) + "\n"))
    return 0
