"""The `zhen` command line. Each subcommand lives in its own module with a `register()`."""

__all__: list[str] = []
