"""The registry's pages: `lists` (lists and their export), `detail`, `edit`, `transfers`, `imports`."""
