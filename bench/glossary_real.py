"""How the glossary does on real material nobody on the team wrote (issue 9).

    python bench/glossary_real.py [--posts CSV ...] [--buzzwords TSV ...]

1. Buzzword lists (bench/data/real/buzzwords_*.tsv, `term<TAB>list<TAB>source`; more lists with
   --buzzwords): the share of terms noted. A term counts when find() on the term alone, or in a
   short neutral sentence, gives a note that covers at least half of it.
2. Ordinary real posts (`label,review` CSV files such as SophonPlus/ChineseNlpCorpus waimai_10k
   and ChnSentiCorp_htl_all; their licence is unstated, so they stay outside git, by default in
   /tmp/real/): notes per post and the most frequent notes, which on such posts are mostly false.
3. Hand-labelled posts (bench/data/real/labelled*.tsv: `file<TAB>line<TAB>slang<TAB>literal`,
   the post read from that line of that CSV; `slang` lists `surface=entry term` for every term
   used as slang, `literal` the glossary terms used literally): slang recall, wrong senses (a
   note with another entry's meaning), literal uses noted and rewritten.

Each part runs on the text as written (Simplified) and converted to Traditional with OpenCC.
Figures only; no assertions.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from translator.glossary import Glossary, Note, default_glossary  # noqa: E402
from translator.punctuation import to_traditional  # noqa: E402

DATA = Path(__file__).with_name("data") / "real"
DEFAULT_POSTS = (Path("/tmp/real/waimai_10k.csv"), Path("/tmp/real/htl.csv"))
NEUTRAL_SENTENCES = ("今天刷到好多人说{}。", "I keep seeing people say {} online.")
SAMPLE = 3000
TOP = 25


@dataclass(frozen=True)
class Labelled:
    post: str
    slang: tuple[tuple[str, str], ...]  # (surface, entry term)
    literal: tuple[str, ...]


def _identity(text: str) -> str:
    return text


SCRIPTS = (("Simplified", _identity), ("Traditional", to_traditional))


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} = {100 * hits / max(total, 1):.1f}%"


def _covers(note: Note, start: int, end: int) -> bool:
    overlap = min(note.end, end) - max(note.start, start)
    return overlap * 2 >= end - start


def _term_noted(glossary: Glossary, term: str) -> bool:
    if any(_covers(note, 0, len(term)) for note in glossary.find(term)):
        return True
    for pattern in NEUTRAL_SENTENCES:
        sentence = pattern.format(term)
        start = sentence.index(term)
        if any(_covers(note, start, start + len(term)) for note in glossary.find(sentence)):
            return True
    return False


def _buzzwords(paths: list[Path]) -> list[tuple[str, str]]:
    terms: list[tuple[str, str]] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                term, source = [*line.split("\t"), ""][:2]
                terms.append((term.strip(), source.strip() or path.stem))
    return terms


def _posts(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["review"] for row in csv.DictReader(handle) if row.get("review")]


def _labelled(path: Path, posts_dir: Path) -> list[Labelled]:
    cache: dict[str, list[str]] = {}
    labelled = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, number, slang, literal = [*line.split("\t"), "", ""][:4]
        source = posts_dir / name
        if not source.exists():
            continue
        posts = cache.setdefault(name, source.read_text(encoding="utf-8").splitlines())
        post = next(csv.reader([posts[int(number) - 1]]))[1]
        pairs = tuple(tuple(item.split("=", 1)) for item in slang.split(",") if item.strip())
        labelled.append(Labelled(post, pairs, tuple(t for t in literal.split(",") if t.strip())))  # type: ignore[arg-type]
    return labelled


def report_buzzwords(glossary: Glossary, terms: list[tuple[str, str]]) -> None:
    print(f"\n== Buzzword lists: {len(terms)} terms ==")
    for name, convert in SCRIPTS:
        missed = [term for term, _ in terms if not _term_noted(glossary, convert(term))]
        print(f"{name}: noted {_share(len(terms) - len(missed), len(terms))}")
        if name == "Simplified":
            by_list: Counter[str] = Counter(source for _, source in terms)
            hit: Counter[str] = Counter(source for term, source in terms if term not in missed)
            print("  by list: " + ", ".join(f"{s} {hit[s]}/{n}" for s, n in sorted(by_list.items())))
            print("  not noted: " + " ".join(missed))


def report_posts(glossary: Glossary, posts: list[str]) -> None:
    print(f"\n== Ordinary real posts: {len(posts)} ==")
    for name, convert in SCRIPTS:
        terms: Counter[str] = Counter()
        examples: dict[str, str] = {}
        notes = clear = 0
        for post in posts:
            text = convert(post)
            for note in glossary.find(text):
                notes += 1
                clear += note.confidence == "clear"
                terms[note.entry.term] += 1
                examples.setdefault(note.entry.term, text[max(0, note.start - 12) : note.end + 12])
        print(f"{name}: {notes / max(len(posts), 1):.3f} notes per post ({clear} clear, {notes - clear} possible)")
        if name == "Simplified":
            for term, count in terms.most_common(TOP):
                print(f"  {count:4d}  {term:10s} e.g. {examples[term]!r}")


def report_labelled(glossary: Glossary, name: str, labelled: list[Labelled]) -> None:
    slang_total = sum(len(item.slang) for item in labelled)
    literal_total = sum(len(item.literal) for item in labelled)
    print(
        f"\n== Hand-labelled real posts ({name}): {len(labelled)} posts, "
        f"{slang_total} slang uses, {literal_total} literal uses =="
    )
    for script, convert in SCRIPTS:
        recalled = wrong = literal_noted = literal_rewritten = 0
        misses: list[str] = []
        noted_literally: list[str] = []
        for item in labelled:
            text = convert(item.post)
            notes = glossary.find(text)
            rewrites = glossary.rewrite(text)[1]
            for surface, expected in item.slang:
                span = _span(text, convert(surface))
                hits = [note for note in notes if span and _covers(note, *span)]
                if any(glossary.lookup(expected) is note.entry for note in hits):
                    recalled += 1
                else:
                    misses.append(surface)
                    wrong += bool(hits)
            for surface in item.literal:
                span = _span(text, convert(surface))
                if span is None:
                    continue
                if any(_covers(note, *span) for note in notes):
                    literal_noted += 1
                    noted_literally.append(surface)
                literal_rewritten += any(r.start < span[1] and span[0] < r.end for r in rewrites)
        print(
            f"{script}: slang recall {_share(recalled, slang_total)}, wrong senses {wrong}, "
            f"literal noted {_share(literal_noted, literal_total)}, rewritten {literal_rewritten}"
        )
        if script == "Simplified":
            print("  missed: " + " ".join(misses) + "; literal uses noted: " + " ".join(noted_literally))


def _span(text: str, surface: str) -> tuple[int, int] | None:
    start = text.lower().find(surface.lower())
    return None if start < 0 else (start, start + len(surface))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=Path, nargs="*", default=[p for p in DEFAULT_POSTS if p.exists()])
    parser.add_argument("--buzzwords", type=Path, nargs="*", default=[])
    parser.add_argument("--sample", type=int, default=SAMPLE, help="ordinary posts drawn from each file")
    args = parser.parse_args()
    glossary = default_glossary()
    report_buzzwords(glossary, _buzzwords(sorted(DATA.glob("buzzwords_*.tsv")) + args.buzzwords))
    posts: list[str] = []
    for path in args.posts:
        found = _posts(path)
        posts += random.Random(9).sample(found, min(args.sample, len(found)))
    if posts:
        report_posts(glossary, posts)
    else:
        print("\nNo ordinary posts: pass --posts with label,review CSV files (see the docstring).")
    posts_dir = args.posts[0].parent if args.posts else DEFAULT_POSTS[0].parent
    for labels in sorted(DATA.glob("labelled*.tsv")):
        report_labelled(glossary, labels.stem, _labelled(labels, posts_dir))


if __name__ == "__main__":
    main()
