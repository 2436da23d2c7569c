"""Throughput and peak memory of `translate_file` on a generated JSONL export (identity engine).

    python -m bench.files_throughput --size-mb 20 [--code DIR] [--auto]

Prints seconds, MB/s and the peak RSS of a fresh process that translates the file. `--code` runs
another checkout's `translator` (for a before/after comparison); `--auto` lets the file's language
be decided (a second reading pass) instead of passing the target.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

_COMMENTS = [
    "这家店太好吃了[赞][赞]下次还来",
    "@{uin:1839200,nick:小红同学,who:1} 快来看[尬笑]",
    "链接在这 v.douyin.com/iRNBho6/ 复制打开[doge]",
    "哈哈哈笑死我了 #成都美食[话题]# https://zh.wikipedia.org/wiki/火锅",
    "姐妹们冲！价格也不贵，环境很安静，适合拍照。",
]

_CHILD = """
import resource, sys, time
from pathlib import Path
from tests.engines import IdentityEngine
from translator import Translator
from translator.files import translate_file
from translator.glossary.matcher import Glossary
source, output, auto = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
translator = Translator(engine=IdentityEngine(), rewrite_slang=False, cache=False, glossary=Glossary([]))
started = time.perf_counter()
translate_file(source, output, translator, target=None if auto else "en", force=True)
seconds = time.perf_counter() - started
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def generate(path: Path, size_mb: float) -> None:
    rng = random.Random(0)
    written = 0
    with path.open("w", encoding="utf-8") as stream:
        index = 0
        while written < size_mb * 1024 * 1024:
            record = {
                "comment_id": str(7345120983311229732 + index),
                "content": f"{rng.choice(_COMMENTS)}（第{index}条）",
                "nickname": f"用户{rng.randrange(10_000)}",
                "ip_location": rng.choice(["IP属地：广东", "四川", "北京"]),
                "create_time": rng.choice(["前天17:47", "3小时前", "2024-03-12 20:15"]),
                "like_count": str(rng.randrange(1000)),
            }
            line = json.dumps(record, ensure_ascii=False) + "\n"
            stream.write(line)
            written += len(line.encode("utf-8"))
            index += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=20)
    parser.add_argument("--code", default=str(Path(__file__).resolve().parents[1]), help="checkout to run")
    parser.add_argument("--auto", action="store_true", help="let the file's language be decided")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "export.jsonl"
        generate(source, args.size_mb)
        size = source.stat().st_size / 1024 / 1024
        # tests.engines comes from this checkout; `translator` from --code.
        here = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([args.code, here])}
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, str(source), str(Path(folder) / "out.jsonl"), "1" if args.auto else "0"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        seconds, peak_kb = result.stdout.split()
        print(
            f"{args.code}: {size:.1f} MB JSONL in {float(seconds):.1f} s "
            f"({size / float(seconds):.2f} MB/s), peak RSS {int(peak_kb) / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
