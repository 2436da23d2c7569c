"""The app's own preferences (theme, pinyin on or off, output script, last direction), kept between runs.

Beam size comes from `zhen tui`'s options every run. The output script is remembered too, and
`--traditional` on the command line wins over it for that run, so a flag always means what it says.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from translator.languages import SUPPORTED, other
from translator.statefile import BrokenStateFile, load_json, move_aside, write_state_file


@dataclass
class Preferences:
    theme: str = "textual-dark"
    show_pinyin: bool = True
    #: "Hans" or "Hant": the script of English -> Chinese translations.
    script: str = "Hans"
    #: "en" or "zh": the language the last text was translated into. Its model loads first.
    target: str = "en"
    #: One line per broken file moved aside while loading, for the app to tell the user.
    notices: list[str] = field(default_factory=list, compare=False, repr=False)

    @property
    def likely_direction(self) -> tuple[str, str]:
        """The direction the first text most likely takes: the last one's (Chinese to English at first)."""
        return (other(self.target), self.target)


#: What is saved: every field but the notices.
_SAVED = tuple(f.name for f in fields(Preferences) if f.name != "notices")


def preferences_path() -> Path:
    from translator.locations import preferences_file

    return preferences_file()


def load_preferences(path: Path | None = None) -> Preferences:
    """The saved preferences; the defaults when there are none. A file that cannot be read as
    preferences (garbage, nested too deep, a folder) is moved aside and the notice says where."""
    path = path or preferences_path()
    defaults = Preferences()
    try:
        data = load_json(path)
    except FileNotFoundError:
        return defaults
    except BrokenStateFile as broken:
        return Preferences(notices=[_moved_aside(path, str(broken))])
    if not isinstance(data, dict):
        return Preferences(notices=[_moved_aside(path, f"{path} does not hold preferences")])
    # Keep only known keys whose type matches the default: a hand-edited file cannot break start-up.
    known = {name: data[name] for name in _SAVED if isinstance(data.get(name), type(getattr(defaults, name)))}
    if known.get("script") not in (None, "Hans", "Hant"):
        del known["script"]
    if known.get("target") not in (None, *SUPPORTED):
        del known["target"]
    return Preferences(**known)


def _moved_aside(path: Path, problem: str) -> str:
    moved = move_aside(path)
    where = f"moved it to {moved.name}" if moved else "using the defaults"
    return f"Preferences file broken ({problem}): {where}"


def save_preferences(preferences: Preferences, path: Path | None = None) -> None:
    """Save quietly: failing to remember a theme is not worth interrupting the user."""
    path = path or preferences_path()
    saved = {name: value for name, value in asdict(preferences).items() if name in _SAVED}
    with contextlib.suppress(OSError):
        write_state_file(path, (json.dumps(saved, indent=2) + "\n").encode("utf-8"))
