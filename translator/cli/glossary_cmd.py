"""`zhen explain`, `zhen gloss` and `zhen glossary search|check`: the glossary without a model.

These work offline with no model installed, so they stay useful on a fresh install; only
`gloss` on Chinese text loads jieba and CC-CEDICT (about a second).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from translator.cli.common import for_terminal, print_json
from translator.cli.notes_format import add_notes_language_option
from translator.terminal import visible
from translator.wrapping import width as display_width

if TYPE_CHECKING:
    from translator.dictionary import GlossItem
    from translator.glossary import Entry, Glossary


def register(subparsers: argparse._SubParsersAction) -> None:
    text_help = "text to read; `-` or nothing reads stdin"
    explain = subparsers.add_parser(
        "explain",
        help="notes on the slang, platform words and culture in a text",
        description="Show the glossary notes for a text (Chinese or English). Needs no model.",
    )
    explain.add_argument("text", nargs="*", metavar="TEXT", help=text_help)
    explain.add_argument("--json", action="store_true", help="print the notes as JSON")
    add_notes_language_option(explain, "the other language of the text")
    explain.set_defaults(func=run_explain)

    gloss = subparsers.add_parser(
        "gloss",
        help="word-by-word pinyin and dictionary definitions",
        description="Split Chinese text into words with pinyin and CC-CEDICT definitions; "
        "glossary terms are kept whole with their note. Needs no model.",
    )
    gloss.add_argument("text", nargs="*", metavar="TEXT", help=text_help)
    gloss.add_argument("--json", action="store_true", help="print every item as JSON")
    gloss.set_defaults(func=run_gloss)

    glossary = subparsers.add_parser(
        "glossary",
        help="search or check the glossary",
        description="Search the glossary, or validate its data files or your own glossary file.",
    )
    glossary.set_defaults(func=lambda args: _usage(glossary))
    actions = glossary.add_subparsers(dest="glossary_command", metavar="ACTION", parser_class=type(glossary))
    search = actions.add_parser(
        "search",
        help="find entries by term, pinyin (tones optional) or meaning",
        description="Find glossary entries by term, variant, pinyin (with or without tones) or meaning.",
    )
    search.add_argument("query", nargs="+", metavar="QUERY")
    search.add_argument("--limit", type=_positive, default=20, metavar="N", help="at most N entries (default: 20)")
    search.add_argument("--json", action="store_true", help="print the entries as JSON")
    search.set_defaults(func=run_search)
    check = actions.add_parser(
        "check",
        help="validate the glossary data, or a glossary FILE of your own",
        description="Validate the built-in glossary (and your own glossary if you have one), or FILE "
        "as a user glossary: the schema, then the senses (literal examples get no note, examples get "
        "theirs). Prints counts, or the problems as file:line and exits with 1.",
    )
    check.add_argument("file", nargs="?", type=Path, metavar="FILE")
    check.set_defaults(func=run_check)


def _positive(value: str) -> int:
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _glossary() -> Glossary:
    # A broken user glossary is logged by the loader; the CLI shows that as one warning line.
    from translator.glossary import default_glossary

    return default_glossary()


def run_explain(args: argparse.Namespace) -> int:
    from translator.cli.common import read_text_arguments
    from translator.cli.notes_format import format_notes
    from translator.detect import detect_language
    from translator.languages import other

    text = read_text_arguments(args.text, "explain", "text to explain")
    source = detect_language(text)
    notes_in = args.notes_in or (other(source) if source in ("zh", "en") else "en")
    notes = _glossary().find(text, notes_in)
    if args.json:
        print_json({"text": text, "notes": [note.to_dict() for note in notes]})
    elif notes:
        print(for_terminal("\n".join(format_notes(notes))))
    else:
        print("no notes: no slang, platform or culture terms from the glossary in this text")
    return 0


def run_gloss(args: argparse.Namespace) -> int:
    from translator.cli.common import read_text_arguments
    from translator.dictionary import CEDICT_ATTRIBUTION, gloss

    text = read_text_arguments(args.text, "gloss", "text to gloss")
    items = gloss(text, _glossary())
    if args.json:
        print_json({"text": text, "items": [item.to_dict() for item in items], "attribution": CEDICT_ATTRIBUTION})
        return 0
    shown = [item for item in items if item.kind == "word" or item.note is not None]
    if not shown:
        print("nothing to gloss: no Chinese words or glossary terms in this text")
        return 0
    print(for_terminal("\n".join(_gloss_table(shown))))
    if any(item.note is None for item in shown):  # CC-CEDICT definitions were shown
        print(f"\n{CEDICT_ATTRIBUTION}")
    return 0


def _pad(text: str, columns: int) -> str:
    return text + " " * (columns - display_width(text))


def _gloss_table(items: list[GlossItem]) -> list[str]:
    word_width = max(display_width(item.text) for item in items) + 2
    pinyin_width = max(display_width(item.pinyin) for item in items) + 2
    lines = []
    for item in items:
        meaning = " / ".join(item.definitions)
        if item.note is not None:
            meaning = f"★ {meaning} [{item.note.category}, {item.note.register}]"
        row = f"{_pad(item.text, word_width)}{_pad(item.pinyin, pinyin_width)}{meaning}".rstrip()
        lines.append(visible(row, keep_newlines=False))
        if item.note is not None:
            lines.append(" " * (word_width + pinyin_width) + visible(item.note.note, keep_newlines=False))
    return lines


def run_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    entries = _glossary().search(query, limit=args.limit)
    if args.json:
        print_json([entry.to_dict() for entry in entries])
    elif entries:
        print(for_terminal("\n".join(line for entry in entries for line in _entry_lines(entry))))
    else:
        print(for_terminal(f"no match: no glossary entry matches {query!r}"))
    return 0


def _entry_lines(entry: Entry) -> list[str]:
    head = entry.term + (f" ({', '.join(entry.variants)})" if entry.variants else "")
    if entry.pinyin:
        head += f"  {entry.pinyin}"
    meaning = entry.meaning + (f" · {entry.meaning_zh}" if entry.meaning_zh else "")
    return [f"{head}  [{entry.category}, {entry.register}]  {entry.source}", f"    {meaning}"]


def run_check(args: argparse.Namespace) -> int:
    from translator.glossary import GlossaryError, builtin_paths, load_glossary, user_glossary_path
    from translator.glossary.checks import sense_problems

    if not builtin_paths():
        raise GlossaryError("no glossary data files (*.toml) found in the installed package: reinstall zhen")
    builtin = load_glossary(user_file=None)
    problems = sense_problems(builtin) if args.file is None else []
    files = Counter(entry.source.rsplit(":", 1)[0] for entry in builtin.entries)
    langs = Counter(entry.lang for entry in builtin.entries)
    if args.file is None:
        summary = ", ".join(f"{count} {lang}" for lang, count in sorted(langs.items()))
        print(f"ok: {len(builtin)} built-in entries ({summary}) in {len(files)} files")
        for name, count in sorted(files.items()):
            print(f"  {name}: {count}")
    user_file = args.file if args.file is not None else user_glossary_path()
    if args.file is not None or user_file.is_file():
        combined = load_glossary(user_file=user_file)
        mine = [e for e in combined.entries if e.source.startswith(f"{user_file}:")]
        overrides = sum(1 for entry in mine if builtin.lookup(entry.term) is not None)
        problems += sense_problems(combined, mine)
        print(
            visible(
                f"ok: {user_file}: {len(mine)} entries ({overrides} overriding built-in entries, "
                f"{len(mine) - overrides} new)"
            )
        )
    for problem in problems:
        sys.stderr.write(f"zhen: {visible(problem, keep_newlines=False)}\n")
    if problems:
        sys.stderr.write(f"zhen: {len(problems)} problem{'s' if len(problems) != 1 else ''} with senses\n")
        return 1
    return 0
