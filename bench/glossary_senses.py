"""How well the glossary tells slang from literal use, and how fast it stays (issue 9).

    python bench/glossary_senses.py

On hand-written sets in bench/data/glossary_senses/ (ordinary posts without slang, literal uses
of ambiguous terms, slang posts; `term<TAB>post` for the last two), each in Simplified and in
Traditional (converted with OpenCC), it prints: notes per ordinary post, the share of literal
uses noted and rewritten (goal: <= 15% noted, 0 rewritten), slang recall (goal >= 90%) by
script, find()/rewrite() posts per second (goal > 5,000/s) and the glossary load time from the
marshal cache (goal < 0.3 s), in a fresh process. Figures only; no assertions.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from translator.glossary import Glossary, load_glossary  # noqa: E402
from translator.punctuation import to_traditional  # noqa: E402
from translator.scripts import has_han  # noqa: E402

DATA = Path(__file__).with_name("data") / "glossary_senses"


def _lines(name: str) -> list[str]:
    return [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _pairs(name: str) -> list[tuple[str, str]]:
    return [tuple(line.split("\t", 1)) for line in _lines(name)]  # type: ignore[misc]


def _traditional(posts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(to_traditional(term), to_traditional(post)) for term, post in posts if has_han(post)]


def _noted(glossary: Glossary, term: str, post: str) -> tuple[bool, bool]:
    """(the term's entry got a note, the term was rewritten) for one post."""
    entry = glossary.lookup(term)
    noted = any(note.entry is entry for note in glossary.find(post))
    rewritten = any(
        sense.entry is entry and rewrite.start == sense.start
        for sense in glossary.senses(post)
        for rewrite in glossary.rewrite(post)[1]
    )
    return noted, rewritten


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} = {100 * hits / max(total, 1):.1f}%"


def _load_time() -> tuple[float, float]:
    """Seconds to load the glossary (marshal cache warm) and to load jieba on the first Chinese
    match, each in a fresh process."""
    code = (
        "import time; t = time.perf_counter(); from translator.glossary import default_glossary;"
        "g = default_glossary(); loaded = time.perf_counter() - t; t = time.perf_counter();"
        "g.find('前面有个加油站'); print(loaded, time.perf_counter() - t)"
    )
    environment = {"PYTHONPATH": str(ROOT)}
    import os

    environment = {**os.environ, **environment}
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=environment)
    best = (float("inf"), float("inf"))
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=environment)
        loaded, jieba = map(float, out.stdout.split())
        best = (min(best[0], loaded), min(best[1], jieba))
    return best


def _rate(function: object, posts: list[str], rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for post in posts:
            function(post)  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return len(posts) / best


def main() -> None:
    glossary = load_glossary(user_file=None)
    ordinary = _lines("ordinary.txt")
    literal = _pairs("literal.txt")
    slang = _pairs("slang.txt")
    ordinary_hant = [to_traditional(post) for post in ordinary if has_han(post)]
    print(f"glossary: {len(glossary)} entries")

    for label, posts in (("Simplified/English", ordinary), ("Traditional", ordinary_hant)):
        notes = [len(glossary.find(post)) for post in posts]
        noisy = [post for post, count in zip(posts, notes, strict=True) if count]
        print(f"ordinary posts ({label}): {sum(notes) / len(posts):.3f} notes per post, {len(noisy)} with a note")
        for post in noisy:
            print(f"    {post}  ->  {[note.term for note in glossary.find(post)]}")

    for label, posts in (("Simplified/English", literal), ("Traditional", _traditional(literal))):
        results = [_noted(glossary, term, post) for term, post in posts]
        noted = [post for (term, post), (hit, _) in zip(posts, results, strict=True) if hit]
        rewritten = sum(1 for _, was in results if was)
        print(
            f"literal uses ({label}): noted {_share(len(noted), len(posts))}, rewritten {_share(rewritten, len(posts))}"
        )
        for post in noted:
            print(f"    noted: {post}")

    for label, posts in (("Simplified/English", slang), ("Traditional", _traditional(slang))):
        results = [_noted(glossary, term, post) for term, post in posts]
        missed = [f"{term}: {post}" for (term, post), (hit, _) in zip(posts, results, strict=True) if not hit]
        print(f"slang recall ({label}): {_share(len(posts) - len(missed), len(posts))}")
        for line in missed:
            print(f"    missed {line}")

    everything = ordinary + ordinary_hant + [post for _, post in literal + slang + _traditional(literal + slang)]
    glossary.find("前面有个加油站")  # jieba loads once, outside the timing
    print(f"find():    {_rate(glossary.find, everything):,.0f} posts/s ({len(everything)} posts)")
    print(f"rewrite(): {_rate(glossary.rewrite, everything):,.0f} posts/s")
    loaded, jieba = _load_time()
    print(f"glossary load (marshal cache, fresh process): {loaded:.3f} s")
    print(f"jieba load on the first Chinese candidate (once per process): {jieba:.2f} s")


if __name__ == "__main__":
    main()
