"""What can go wrong with one file of a batch, said in one line that names the file (and line).

The batch command prints `str(error)` and goes on with the next file, so each message must point
at the exact place to fix without a traceback.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ZhenError


class FileError(ZhenError):
    """A file that cannot be translated; the other files of the batch still run."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = str(path), problem, line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class BinaryFileError(FileError):
    """The file holds binary data, not text."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, "binary file, not text: skipped")


class UndecodableFileError(FileError):
    """Text in an encoding zhen does not recognise (or a corrupt file, or not the one forced)."""

    def __init__(self, path: str | Path, detail: str = "", *, forced: bool = False) -> None:
        if forced:
            problem = f"does not decode with --encoding ({detail}): check the encoding, or leave --encoding out"
        else:
            problem = "cannot decode as UTF-8, UTF-16, GB18030 or Big5"
            problem += (f" ({detail})" if detail else "") + ": convert it to UTF-8, or name it with --encoding"
        super().__init__(path, problem)


class ForeignEncodingError(FileError):
    """Japanese or Korean text in a legacy encoding: refused like Japanese or Korean text."""

    def __init__(self, path: str | Path, language: str, encoding: str) -> None:
        self.language, self.encoding = language, encoding
        super().__init__(
            path,
            f"looks like {language} text ({encoding}): zhen translates only between Chinese and English "
            f"(if it is Chinese, name its encoding with --encoding)",
        )


class MalformedFileError(FileError):
    """The file does not follow its format (SRT, JSON, CSV ...)."""


class OutputExistsError(FileError):
    """The output file exists already; `--force` replaces it."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, "output exists already: use --force to replace it, or -o/--out-dir")


class SameFileError(FileError):
    """The output would replace the input."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, "output would overwrite the input: choose another -o or --out-dir")


class FileLanguageError(FileError):
    """Most of the file is in a language zhen does not translate: it is left untouched."""

    def __init__(self, path: str | Path, language: str) -> None:
        from ..languages import language_name

        self.language = language
        super().__init__(
            path, f"looks like {language_name(language)}; zhen translates only Chinese and English: left untouched"
        )


class FieldsNotFoundError(FileError):
    """`--fields` named paths that match no value of the file."""

    exit_code = 2

    def __init__(self, path: str | Path, fields: list[str], existing: list[str], what: str = "paths with text") -> None:
        self.fields, self.existing = fields, existing
        shown = ", ".join(existing) if existing else "none"
        super().__init__(path, f"--fields {','.join(fields)} matched nothing (the {what}: {shown})")
