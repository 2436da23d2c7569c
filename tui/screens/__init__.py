"""zhen's screens: translate (the main one), reply, history and help."""

__all__: list[str] = []
