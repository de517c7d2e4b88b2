"""The one-household backend: rows as dicts (``household``), each plan's scalar forms walked over
them (``evaluate``) — no query planning, well under a millisecond a household."""
