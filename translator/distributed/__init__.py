"""Translate corpora on a Ray cluster with Ray Data (`pip install "zhen[ray]"`).

    import ray
    from translator.distributed import translate_dataset
    ds = ray.data.read_parquet("comments.parquet")
    translate_dataset(ds, fields=["text"], target="en", models_dir="/shared/models").write_parquet("out/")

Each actor of a pool builds one `Translator` (models load once per actor) and translates batches
with the same record-level code as `zhen file` (`translator.files.records`), so the records come
out as `zhen file` writes them. `translate_file_on_ray` is `zhen file --ray`: one JSONL, CSV or
Parquet file into a resumable folder of shards. Importing this package does not import Ray.
"""

from __future__ import annotations

from ._cluster import AUTO, connect
from ._dataset import TranslatorSettings, translate_dataset
from ._job import SHARD_RECORDS, ShardedResult, translate_file_on_ray

__all__ = [
    "AUTO",
    "SHARD_RECORDS",
    "ShardedResult",
    "TranslatorSettings",
    "connect",
    "translate_dataset",
    "translate_file_on_ray",
]
