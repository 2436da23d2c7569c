"""The widgets zhen's screens are built from, one per module."""

__all__: list[str] = []
