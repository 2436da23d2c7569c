"""zhen's terminal app: paste a post, read it, understand it, reply to it.

A thin face over the `translator` library: the screens show what the library returns and run every
slow call (model loading, translation, dictionary look-ups) in worker threads. Importing this package
imports Textual and nothing heavy, so the app paints well within a second.
"""

__all__: list[str] = []
