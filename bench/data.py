"""What the benchmark translates: FLORES dev sentences and a generated feed of RedNote-style posts.

FLORES (997 lines of news-like Chinese, `../shared/data/flores/`) is the "document" workload: no
two lines alike, so caching and de-duplication cannot help. The generated feed is the "social"
workload zhen is built for: the same hashtags, stock phrases and whole reposted posts recur, with
emoji, mentions and links mixed in. It is generated from a fixed seed, so every run (and every
machine) translates the same feed.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Sequence

from bench.model import shared_dir

FLORES_ZH = "data/flores/zh-en.flores-dev.zh"

HASHTAGS = [
    "#小红书成长笔记#", "#穿搭分享#", "#美食探店#", "#旅行日记#", "#护肤心得#", "#周末去哪儿#",
    "#打工人日常#", "#留学生活#", "#宠物日常#", "#读书笔记#", "#健身打卡#", "#家居好物#",
]  # fmt: skip
OPENERS = [
    "家人们谁懂啊！", "姐妹们冲！", "今天来分享一下我的日常。", "救命，这也太好看了吧！", "终于等到了！",
    "有没有人和我一样？", "第一次发笔记，请多关照。", "真的不是广告！",
]  # fmt: skip
BODIES = [
    "这家店的火锅太好吃了，排队排了一个小时也值得。", "周末和朋友去了一趟杭州，西湖边的风景真的很美。",
    "这件外套是在商场打折的时候买的，质量比想象中好很多。", "最近在学做饭，今天终于成功做出了一道红烧肉。",
    "新搬的家终于收拾好了，客厅的采光特别好。", "我家猫今天又把花瓶打翻了，真是拿它没办法。",
    "坚持健身三个月，体重减了八斤，整个人精神多了。", "这本书讲的是一个普通人在大城市打拼的故事。",
    "早上七点起床，先喝一杯温水，然后出门跑步。", "这个面霜用了两周，皮肤明显没那么干了。",
    "下班路上看到晚霞，随手拍了一张，没想到这么出片。", "在国外读书最难的不是学习，而是一个人过年。",
    "老板人超级好，还送了我们一份甜品。", "价格不算便宜，但是环境和服务都很值。",
    "地铁站出来走五分钟就到了，交通很方便。", "今天的咖啡拉花是一只小熊，可爱到舍不得喝。",
    "这条裙子的颜色在阳光下会变，拍照特别好看。", "面试的时候紧张得说不出话，还好面试官很耐心。",
    "租房一定要提前看好合同，不然很容易吃亏。", "这个周末带爸妈去爬山，他们比我还有体力。",
    "楼下新开了一家面包店，每天早上都飘着香味。", "考研的第一百天，给自己打打气。",
    "雨天最适合在家里看电影、吃零食。", "这次旅行最大的收获是认识了一群有趣的朋友。",
]  # fmt: skip
CLOSERS = [
    "下次还会再来！", "求链接！", "评论区见～", "觉得有用的话记得点赞收藏哦。", "有问题可以私信我。",
    "强烈推荐！", "姐妹们快去试试吧。",
]  # fmt: skip
EXTRAS = ["😂", "😭", "🔥", "✨", "❤️", "@小红书薯队长", "https://xhslink.com/a/Bx9Zq"]

#: Where the simple sentence splitter cuts: after Chinese or Latin sentence-final marks.
_SENTENCE_END = re.compile(r"(?<=[。！？!?…～])")
_CLAUSE_END = re.compile(r"[，；：。！？]")


def have_shared_data() -> bool:
    return (shared_dir() / FLORES_ZH).is_file()


def flores_lines() -> list[str]:
    """The 997 Chinese FLORES dev sentences."""
    return (shared_dir() / FLORES_ZH).read_text(encoding="utf-8").splitlines()


def social_posts(count: int, fresh: Sequence[str], seed: int = 1) -> list[str]:
    """`count` posts: a quarter are reposts of an earlier post; the rest open and close with stock
    phrases (popular ones far more often), carry 1-3 body sentences (half of them stock, half new
    ones taken in turn from `fresh`), maybe an emoji, a mention or a link, and 1-3 hashtags."""
    rng = random.Random(seed)
    unused = iter(fresh)
    posts: list[str] = []
    for _ in range(count):
        if posts and rng.random() < 0.25:
            posts.append(rng.choice(posts))
            continue
        parts = []
        if rng.random() < 0.5:
            parts.append(_popular(rng, OPENERS))
        for _ in range(rng.randint(1, 3)):
            parts.append(next(unused) if rng.random() < 0.5 else _popular(rng, BODIES))
        if rng.random() < 0.6:
            parts.append(_popular(rng, CLOSERS))
        if rng.random() < 0.5:
            parts.append(rng.choice(EXTRAS))
        tags = " ".join(rng.sample(HASHTAGS, rng.randint(1, 3)))
        posts.append("".join(parts) + " " + tags)
    return posts


def _popular(rng: random.Random, choices: Sequence[str]) -> str:
    """Zipf-like pick: the first items of a list recur far more often than the last."""
    weights = [1 / (rank + 1) for rank in range(len(choices))]
    return rng.choices(choices, weights)[0]


def split_sentences(line: str) -> list[str]:
    """Sentences of a line as a translation tool without zhen's segmenter cuts them (Argos
    Translate splits a text into sentences before `translate_batch`): after 。！？!?, nothing else."""
    return [part.strip() for part in _SENTENCE_END.split(line) if part.strip()]


class SourceLengths:
    """Source tokens of a sentence as every contender counts them: sentencepiece pieces + `</s>`."""

    def __init__(self) -> None:
        import sentencepiece

        model = shared_dir() / "opus-mt-zh-en" / "source.spm"
        self._processor = sentencepiece.SentencePieceProcessor(model_file=str(model))

    def __call__(self, sentence: str) -> int:
        return len(self._processor.encode(sentence)) + 1


def whole_length_groups(lines: Sequence[str], lengths: Sequence[int], every: int) -> list[str]:
    """The lines whose length is every `every`-th distinct length: a sample that keeps both the
    length mix and the number of lines of each length (batches of one length stay as large as
    on the whole set)."""
    kept = set(sorted(set(lengths))[::every])
    return [line for line, length in zip(lines, lengths, strict=True) if length in kept]


def spread(items: Sequence[str], count: int, key: Callable[[str], int]) -> list[str]:
    """`count` items evenly spaced through `items` sorted by `key`: a small sample with the same
    length mix, for contenders too slow to run the larger set."""
    ordered = sorted(items, key=key)
    if count >= len(ordered):
        return ordered
    step = len(ordered) / count
    return [ordered[int((index + 0.5) * step)] for index in range(count)]


def most_common_length(lines: Sequence[str], key: Callable[[str], int]) -> list[str]:
    """The lines of the length most lines have: what fills one batch completely."""
    counts = Counter(key(line) for line in lines)
    length = max(counts, key=lambda value: (counts[value], -value))
    return [line for line in lines if key(line) == length]


def short_clauses(lines: Sequence[str], key: Callable[[str], int], tokens: int) -> list[str]:
    """Distinct clauses of `lines` (cut at Chinese punctuation) that are `tokens` tokens long:
    the short lines of a comments export or a subtitle file."""
    clauses = dict.fromkeys(part.strip() for line in lines for part in _CLAUSE_END.split(line))
    return [clause for clause in clauses if clause and key(clause) == tokens]
