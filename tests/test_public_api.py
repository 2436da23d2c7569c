"""Each package declares its public API in `__all__`, and declares all of it (as httpx does).

Tests, the bench and the faces (CLI, app) should need nothing else; a name a package shows but does
not list is either an accident of an import or a missing entry.
"""

from __future__ import annotations

import importlib
import types

import pytest

PACKAGES = [
    "translator",
    "translator.cli",
    "translator.engines",
    "translator.files",
    "translator.files.formats",
    "translator.glossary",
    "tui",
    "tui.screens",
    "tui.widgets",
]


def own_public_names(module: types.ModuleType) -> set[str]:
    """Public functions and classes defined in the package's own `__init__` (not `Any`, `Path`...)."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (isinstance(value, type) or callable(value))
        and getattr(value, "__module__", "") == module.__name__
    }


@pytest.mark.parametrize("name", PACKAGES)
def test_every_package_lists_exactly_what_it_exports(name: str) -> None:
    module = importlib.import_module(name)
    declared = getattr(module, "__all__", None)
    assert declared is not None, f"{name} has no __all__"
    assert sorted(declared) == sorted(set(declared)), f"{name}.__all__ repeats a name"
    undeclared = own_public_names(module) - set(declared)
    assert not undeclared, f"{name} shows {sorted(undeclared)} without listing them in __all__"
    for member in declared:
        assert hasattr(module, member), f"{name}.__all__ names {member}, which does not exist"
