"""The two evaluators of a compiled plan, one semantics: Polars for a registry, Python for a household."""
