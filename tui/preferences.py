"""The app's own preferences (theme, pinyin on or off), kept between runs.

Only what the command line cannot say lives here: beam size and script come from `zhen tui`'s
options every run, so a flag always means what it says.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path


@dataclass
class Preferences:
    theme: str = "textual-dark"
    show_pinyin: bool = True


def preferences_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("zhen")) / "tui.json"


def load_preferences(path: Path | None = None) -> Preferences:
    """The saved preferences; the defaults when there are none or the file is unreadable."""
    try:
        data = json.loads((path or preferences_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    defaults = Preferences()
    if not isinstance(data, dict):
        return defaults
    # Keep only known keys whose type matches the default: a hand-edited file cannot break start-up.
    known = {
        field.name: data[field.name]
        for field in fields(Preferences)
        if isinstance(data.get(field.name), type(getattr(defaults, field.name)))
    }
    return Preferences(**known)


def save_preferences(preferences: Preferences, path: Path | None = None) -> None:
    """Save quietly: failing to remember a theme is not worth interrupting the user."""
    path = path or preferences_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(preferences), indent=2) + "\n", encoding="utf-8")
    except OSError:
        pass
