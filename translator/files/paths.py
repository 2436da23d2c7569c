"""Which files a batch reads, and where each translation is written.

Outputs go next to their input as `<name>.<target><ext>` (`post.json` -> `post.en.json`), or into
an output folder under the input's name and relative path. A second run over the same folder must
not translate the first run's outputs, so a directory scan skips `<name>.<lang><ext>` whenever
`<name><ext>` is there too (files named on the command line are always read).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..languages import SUPPORTED
from .errors import FileError
from .formats import EXTENSIONS


@dataclass(frozen=True)
class Input:
    """A file to translate; `relative` is its path under the directory it was found in."""

    path: Path
    relative: Path


def find_inputs(given: str | Path, pattern: str | None = None, skip: Path | None = None) -> list[Input]:
    """The file itself, or the matching files under a directory (recursively, sorted).

    `skip` is a folder not to descend into: the output folder, when it is inside the input.
    """
    path = Path(given)
    if path.is_dir():
        return list(_scan_directory(path, pattern, skip.resolve() if skip else None))
    if not path.exists():
        raise FileError(path, "no such file or directory")
    return [Input(path, Path(path.name))]


def _scan_directory(root: Path, pattern: str | None, skip: Path | None) -> Iterator[Input]:
    for folder, subfolders, files in os.walk(root):
        # Hidden folders (.git, .venv) hold no user documents; sorting makes runs reproducible.
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".") and (skip is None or (Path(folder) / name).resolve() != skip)
        )
        present = set(files)
        for name in sorted(files):
            if name.startswith(".") or _is_earlier_output(name, present):
                continue
            if pattern is not None:
                if not fnmatch.fnmatch(name, pattern):
                    continue
            elif Path(name).suffix.lower() not in EXTENSIONS:
                continue
            path = Path(folder) / name
            yield Input(path, path.relative_to(root))


def _is_earlier_output(name: str, present: set[str]) -> bool:
    stem, extension = os.path.splitext(name)
    base, _, language = stem.rpartition(".")
    return bool(base) and language in SUPPORTED and f"{base}{extension}" in present


def output_path(item: Input, target: str) -> Path:
    """`<name>.<target><ext>` beside the input."""
    return item.path.with_name(f"{item.path.stem}.{target}{item.path.suffix}")
