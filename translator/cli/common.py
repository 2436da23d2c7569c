"""Options and helpers shared by the subcommands that translate (translate, file, tui)."""

from __future__ import annotations

import argparse
import sys

from translator.languages import SUPPORTED
from translator.translator import BACKENDS, Translator


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """--models-dir, --backend, --beam, --no-cache, --no-rewrite, --traditional."""
    group = parser.add_argument_group("model options")
    group.add_argument("--models-dir", metavar="DIR", help="model store folder (default: see `zhen models status`)")
    group.add_argument("--backend", choices=BACKENDS, default="auto", help="inference backend (default: auto)")
    group.add_argument("--beam", type=int, default=4, metavar="N", help="beam size, 1 is fastest (default: 4)")
    group.add_argument("--no-cache", action="store_true", help="do not read or write the translation cache")
    group.add_argument(
        "--no-rewrite", action="store_true", help="send slang to the model as written (no plain-word rewriting)"
    )
    group.add_argument("--traditional", action="store_true", help="write Chinese in Traditional characters")


def add_target_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", dest="target", choices=SUPPORTED, help="target language (default: the other one)")


def translator_from_args(args: argparse.Namespace, *, interactive: bool, status_to_stderr: bool = True) -> Translator:
    """A Translator configured by add_engine_options' flags; status lines go to a terminal stderr.
    `interactive`: a person waits for each text (see `DecodingOptions.interactive`)."""
    from translator.cache import TranslationCache
    from translator.engines.options import DecodingOptions

    on_status = print_notice if status_to_stderr and sys.stderr.isatty() else None
    return Translator(
        models_dir=args.models_dir,
        backend=args.backend,
        beam_size=args.beam,
        # Cache problems (moved aside, caching off) are said even on a pipe: they explain a slower
        # run, or a file that appeared in the cache folder. The app shows `notices` itself.
        cache=False if args.no_cache else TranslationCache(on_notice=print_notice if status_to_stderr else None),
        rewrite_slang=not args.no_rewrite,
        script="Hant" if args.traditional else "Hans",
        on_status=on_status,
        decoding=DecodingOptions(interactive=interactive),
    )


def print_json(data: object) -> None:
    """JSON for scripts: UTF-8 as it is (Chinese stays readable), indented, one trailing newline."""
    import json

    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def print_notice(message: str) -> None:
    """One `zhen: ` line on stderr; `message` may quote data (paths, text), so it is made inert."""
    from translator.terminal import visible

    sys.stderr.write(f"zhen: {visible(message, keep_newlines=False)}\n")
    sys.stderr.flush()


def for_terminal(text: str) -> str:
    """`text` from data as it may be written to stdout: made inert on a terminal, exact on a pipe."""
    if not sys.stdout.isatty():
        return text
    from translator.terminal import visible

    return visible(text)


def read_text_arguments(words: list[str], command: str, what: str = "text") -> str:
    """TEXT words joined by spaces, or standard input for `-` / no words on a pipe."""
    from translator.errors import UsageError

    if words == ["-"] or (not words and not sys.stdin.isatty()):
        raw = getattr(sys.stdin, "buffer", None)  # None: replaced by a text stream (tests, IDEs)
        return decode_input(raw.read(), "standard input") if raw is not None else sys.stdin.read()
    if not words:
        raise UsageError(f"give the {what} as arguments, or pipe it in (`... | zhen {command}`)")
    # Bytes of the command line that are not UTF-8 arrive as lone surrogates (PEP 383).
    return " ".join(decode_input(word.encode("utf-8", "surrogateescape"), "the command line") for word in words)


def decode_input(data: bytes, where: str) -> str:
    """Text from bytes a user gave: UTF-8, else GB18030/Big5 as files are read; one line if neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from translator.errors import ZhenError
    from translator.files.encoding import detect_encoding
    from translator.files.errors import FileError, ForeignEncodingError

    try:
        return data.decode(detect_encoding(data, where, complete=True))
    except ForeignEncodingError as error:
        message = f"looks like {error.language} text ({error.encoding}): zhen translates only Chinese and English"
    except (FileError, UnicodeDecodeError):
        message = "is not text in an encoding zhen reads (UTF-8, UTF-16, GB18030, Big5): convert it to UTF-8"
    raise ZhenError(f"{where} {message}")
