"""The editor for a post or a reply, which marks the glossary terms it contains."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, Selection

from tui.paste import pasted_text
from tui.text import safe

#: Highlight names, looked up in the TextArea theme's syntax styles like tree-sitter captures.
TERM = "zhen.term"
RISKY = "zhen.risky"


class SourceEditor(TextArea):
    """A plain-text TextArea that highlights glossary terms, risky ones in a warning colour.

    TextArea draws syntax highlights from `_highlights` (per line, UTF-8 byte offsets) and rebuilds
    them after every edit through `_build_highlight_map`. Hooking that rebuild means the marks follow
    the text while the user keeps typing, before the next translation refreshes the notes: the
    terms are found again by their spelling rather than kept at stale offsets.
    """

    COMPONENT_CLASSES = TextArea.COMPONENT_CLASSES | {"source-editor--term", "source-editor--risky"}

    def __init__(
        self,
        *,
        placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        # Set before TextArea.__init__, which already builds the highlight map once.
        self._marks: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        super().__init__(
            "",
            soft_wrap=True,
            tab_behavior="focus",
            highlight_cursor_line=False,
            placeholder=placeholder,
            id=id,
            classes=classes,
        )

    def watch_cursor_blink(self) -> None:
        # TextArea caches each drawn line under the blink phase, not under whether the cursor is
        # drawn: blinking turned off during the dark phase would keep the cursor hidden for good.
        self._line_cache.clear()
        self.refresh()

    # -- text from outside -------------------------------------------------------------------

    def edit(self, edit: Edit) -> EditResult:
        """Every change (a key, a paste, an insert) goes in with its control characters visible:
        pasted text arrives as pasted, in order, and nothing in it can reach the terminal."""
        edit.text = pasted_text(edit.text)
        return super().edit(edit)

    def load_text(self, text: str) -> None:
        """Replace the text (a history entry, say), control characters visible."""
        super().load_text(safe(text))

    # -- terms -------------------------------------------------------------------------------

    def mark_terms(self, terms: Iterable[tuple[str, bool]]) -> None:
        """Highlight every occurrence of these `(term, risky)` spellings, replacing earlier marks."""
        marks: dict[str, str] = {}
        for term, risky in terms:
            if term.strip():
                marks[term] = RISKY if risky or marks.get(term) == RISKY else TERM
        if marks == self._marks:
            return
        self._marks = marks
        self._pattern = _terms_pattern(marks) if marks else None
        self._build_highlight_map()
        self.refresh()

    @property
    def marked_terms(self) -> dict[str, str]:
        """The spellings currently marked, with their highlight name (`zhen.term`/`zhen.risky`)."""
        return dict(self._marks)

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        if self._pattern is None:
            return
        for row, line in enumerate(self.document.lines):
            for match in self._pattern.finditer(line):
                start = len(line[: match.start()].encode())
                end = start + len(match.group().encode())
                self._highlights[row].append((start, end, self._marks[match.group()]))

    def render_lines(self, crop: Region) -> list[Strip]:
        self._install_mark_styles()
        return super().render_lines(crop)

    def _install_mark_styles(self) -> None:
        """Give the theme in use the styles of the marks, from this widget's component classes.

        Done at render time because the styles come from CSS (and so follow the app theme) and the
        TextArea theme object is replaced whenever the theme changes.
        """
        theme = self._theme
        if theme is None:
            return
        styles = {
            TERM: self.get_component_rich_style("source-editor--term", partial=True),
            RISKY: self.get_component_rich_style("source-editor--risky", partial=True),
        }
        if any(theme.syntax_styles.get(name) != style for name, style in styles.items()):
            # A new dict: the built-in themes share theirs between every TextArea.
            theme.syntax_styles = {**theme.syntax_styles, **styles}
            self._line_cache.clear()

    # -- positions ---------------------------------------------------------------------------

    def select_span(self, start: int, end: int) -> None:
        """Select `text[start:end]` (a term the user picked in the notes) and scroll to it."""
        get_location = self.document.get_location_from_index  # type: ignore[attr-defined]  # a Document here
        self.selection = Selection(get_location(start), get_location(end))


def _terms_pattern(marks: dict[str, str]) -> re.Pattern[str]:
    """One regex for all terms, longest first; Latin terms only match as whole words."""
    alternatives = []
    for term in sorted(marks, key=len, reverse=True):
        escaped = re.escape(term)
        if term[:1].isascii() and term[:1].isalnum():
            escaped = r"(?<![A-Za-z0-9])" + escaped
        if term[-1:].isascii() and term[-1:].isalnum():
            escaped += r"(?![A-Za-z0-9])"
        alternatives.append(escaped)
    return re.compile("|".join(alternatives))
