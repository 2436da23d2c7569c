"""Glossary health report: what the data covers, what it lacks, and how fast it loads and matches.

    python bench/glossary_stats.py [--data DIR] [--posts 20000] [--seed 1]

Prints entry counts per language, category, register and file; how often each optional field
is filled; entries whose example sentence the matcher does not find the term in (a sign of a
typo, or of a term too short or too inflected to match); load time; and matching speed on a
generated feed of short mixed posts (the TUI annotates a scrolling feed, so > 10,000 posts/s is
the target). A script to read, not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from translator.glossary import DATA_DIR, Entry, Glossary, GlossaryError, load_glossary
from translator.glossary.model import OPTIONAL

ZH_PIECES = [
    "今天和朋友去了这家店", "味道真的很不错", "排队排了一个小时", "周末有空的姐妹可以去看看",
    "价格也不贵", "拍照特别出片", "老板人超级好", "下次还会再来", "环境一般般", "强烈推荐",
    "有没有人知道这是哪里", "求链接", "第一次发笔记", "分享一下我的日常", "这个颜色太好看了",
]  # fmt: skip
EN_PIECES = [
    "Just got back from the market", "honestly the food was great", "we waited for an hour",
    "anyone know where this is", "my first post here", "sharing my morning routine",
    "the colour is so pretty", "would go again", "prices are fair", "the staff were lovely",
]  # fmt: skip
EXTRAS = ["https://xhslink.com/a/Bx9Zq", "@小红书薯队长", "#旅行#", "😂😂", "!!!", "？", "www.example.com/slay"]


def generate_posts(glossary: Glossary, count: int, seed: int) -> list[str]:
    """Short posts (~60 chars) in Chinese, English or both, a term in most, addresses in some."""
    rng = random.Random(seed)
    terms = {lang: [f for e in glossary.entries if e.lang == lang for f in e.forms] for lang in ("zh", "en")}
    posts = []
    for _ in range(count):
        lang = rng.choices(["zh", "en", "mixed"], weights=[6, 3, 1])[0]
        pieces = {"zh": ZH_PIECES, "en": EN_PIECES}.get(lang, ZH_PIECES + EN_PIECES)
        words: list[str] = []
        while sum(map(len, words)) < 50:
            words.append(rng.choice(pieces))
        pool = terms["en" if lang == "en" else "zh"] or terms["zh"] + terms["en"]
        if pool and rng.random() < 0.7:
            words.insert(rng.randrange(len(words) + 1), rng.choice(pool))
        if rng.random() < 0.15:
            words.append(rng.choice(EXTRAS))
        posts.append(("，" if lang == "zh" else " ").join(words))
    return posts


def rate(function: Callable[[str], object], posts: list[str]) -> float:
    start = time.perf_counter()
    for post in posts:
        function(post)
    return len(posts) / (time.perf_counter() - start)


def table(title: str, counts: Counter[str], total: int) -> None:
    print(f"\n{title}")
    width = max(map(len, counts)) + 2
    for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {key:<{width}}{count:>5}  {count / total:6.1%}")


def coverage(entries: list[Entry]) -> None:
    print("\noptional fields filled")
    for lang in ("zh", "en"):
        chosen = [e for e in entries if e.lang == lang]
        if chosen:
            filled = ", ".join(f"{f} {sum(1 for e in chosen if getattr(e, f)) / len(chosen):.0%}" for f in OPTIONAL)
            print(f"  {lang}: {filled}")


def missed_examples(glossary: Glossary) -> list[Entry]:
    def finds_itself(entry: Entry) -> bool:
        return any(note.entry is entry for note in glossary.find(entry.example))

    return [entry for entry in glossary.entries if not finds_itself(entry)]


def cold_load_seconds(paths: list[Path]) -> float:
    """Import and load in a fresh interpreter, as a one-shot `zhen explain` pays it."""
    code = (
        "import sys, time; t = time.perf_counter(); from pathlib import Path; "
        "from translator.glossary import load_glossary; "
        "load_glossary([Path(p) for p in sys.argv[1:]], user_file=None); print(time.perf_counter() - t)"
    )
    command = [sys.executable, "-c", code, *map(str, paths)]
    return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="folder of *.toml files (default: built-in)")
    parser.add_argument("--posts", type=int, default=20000, help="generated posts to match (default: 20000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    paths = sorted(args.data.glob("*.toml"))
    start = time.perf_counter()
    try:
        glossary = load_glossary(paths, user_file=None)
    except GlossaryError as error:
        print(f"glossary_stats: {error}", file=sys.stderr)
        return 1
    warm_load = time.perf_counter() - start
    entries = list(glossary.entries)
    total = len(entries)
    print(f"{total} entries, {sum(len(e.forms) for e in entries)} spellings")
    table("language", Counter(e.lang for e in entries), total)
    table("category", Counter(e.category for e in entries), total)
    table("register", Counter(e.register for e in entries), total)
    table("file", Counter(e.source.rsplit(":", 1)[0] for e in entries), total)
    coverage(entries)
    long_meanings = [e for e in entries if len(e.meaning.split()) > 12]
    print(
        f"\nmeanings longer than 12 words: {len(long_meanings)}",
        *(f"  {e.source} {e.term}" for e in long_meanings[:10]),
        sep="\n",
    )
    missed = missed_examples(glossary)
    print(f"examples in which the matcher does not find the entry: {len(missed)}")
    for entry in missed[:20]:
        print(f"  {entry.source} {entry.term!r}: {entry.example}")

    print(f"\nparse + validate the TOML (module imported): {warm_load * 1000:.0f} ms")
    print(f"import + parse + validate, fresh interpreter: {cold_load_seconds(paths) * 1000:.0f} ms")
    if args.data == DATA_DIR:
        load_glossary(user_file=None)  # writes the cache if needed
        start = time.perf_counter()
        load_glossary(user_file=None)
        print(f"load from the cache, as default_glossary() does: {(time.perf_counter() - start) * 1000:.1f} ms")
    posts = generate_posts(glossary, args.posts, args.seed)
    found = sum(len(glossary.find(post)) for post in posts)
    mean = sum(map(len, posts)) / len(posts)
    print(f"posts: {len(posts)}, mean {mean:.0f} chars, {found} notes ({found / len(posts):.2f} per post)")
    print(f"find():    {rate(glossary.find, posts):,.0f} posts/s")
    print(f"rewrite(): {rate(glossary.rewrite, posts):,.0f} posts/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
