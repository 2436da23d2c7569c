"""The widgets zhen's screens are built from, one per module."""
