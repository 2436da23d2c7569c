"""Guess which values of a data file are prose, when the user did not name them with --fields.

Crawled exports mix prose (titles, descriptions, comments) with strings that only look like text:
ids, URLs, dates, enum values ("published"), file names, hashtag lists, nicknames and IP-location
labels. Translating those would corrupt the data, so the rule leans towards leaving a value alone:

- a value must have at least one piece the library would send to a model (so URLs, e-mail
  addresses, @mentions, hashtags, stickers, emoji and numbers on their own do not count);
- an ASCII value must have more than one word: single tokens are ids, codes, dates and enum
  values far more often than one-word sentences;
- a value shaped like a time or place label ("3小时前", "前天17:47", "IP属地：广东") or a count
  ("1.2万", "10w+") is not prose;
- a value under a key (JSON) or column (CSV) that names a person, an id, a place, a time or a
  count (`nickname`, `user_id`, `ip_location`, `create_time`, `liked_count`, `用户昵称`, `发布时间`,
  `点赞数`) is not prose (`is_label_key`).

`--fields` overrides the guess for values the user names. Results are memoised: exports repeat the
same short values (nicknames, locations, stock replies) thousands of times.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..segment import segment

# Relative and absolute times as platforms print them; IP-location labels. Anchored, no nested
# quantifiers: linear in the value.
_LABEL_VALUE = re.compile(
    r"(?:刚刚|\d+\s*(?:秒|分钟|小时|天|周|个月|月|年)前"
    r"|(?:今天|昨天|前天)\s*(?:\d{1,2}:\d{2})?"
    r"|(?:\d{2,4}[年/-])?\d{1,2}[月/-]\d{1,2}日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|(?:IP\s*属地|IP\s*归属地|发布于|来自)\s*[:：]?\s*\S{1,12}"
    # Counts as platforms print them: 1.2万, 10w+, 3.5k, 999+.
    r"|\d+(?:\.\d+)?\s*(?:[万亿千kKwW]\+?|\+))",
    re.IGNORECASE,
)
#: Key words that make a key (or column) a label wherever they are in it ...
_LABEL_KEY_WORDS = frozenset("ip nickname nick uname username location".split())
#: ... or at its end (`user_id`, `author_name`, `created_at`, `avatar_url`, `liked_count`).
_LABEL_KEY_ENDS = frozenset(
    "id ids uid mid oid name names location region province city country time date timestamp at url "
    "urls link links avatar uri gender sex label count counts num".split()
)
#: The same for Chinese column names, which exports from Chinese tools use (用户昵称, IP属地,
#: 发布时间, 点赞数, 笔记链接): what they end with.
_LABEL_KEY_ENDS_ZH = tuple(
    "昵称 用户名 姓名 作者 属地 地区 地址 城市 省份 位置 时间 日期 编号 链接 网址 头像 性别 "
    "数 播放量 阅读量 浏览量 销量".split()
)
_KEY_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


@lru_cache(maxsize=16384)
def looks_like_prose(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.isascii() and not any(char.isspace() for char in stripped):
        return False
    if _LABEL_VALUE.fullmatch(stripped):
        return False
    return has_prose(stripped)


def has_prose(text: str) -> bool:
    """Whether some piece of `text` would go to a model (not only URLs, placeholders, numbers...)."""
    return any(piece.is_prose for piece in segment(text.strip()))


@lru_cache(maxsize=4096)
def is_label_key(key: str) -> bool:
    """Whether a JSON key or CSV column names a person, an id, a place, a time or a count, not prose."""
    if key.strip().endswith(_LABEL_KEY_ENDS_ZH):
        return True
    words = [word.lower() for word in _KEY_WORD.findall(key)]
    if not words:
        return False
    return words[-1] in _LABEL_KEY_ENDS or any(word in _LABEL_KEY_WORDS for word in words)
