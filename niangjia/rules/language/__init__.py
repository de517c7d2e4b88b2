"""The policy expression language: typed values, the safe compiler, built-in functions, sentences.

``typed`` (a formula's Polars expression and its scalar twin), ``expression`` (the ``ast``
whitelist compiler), ``functions`` (dates, windows, related-table aggregates) and
``explanations`` (Chinese sentence templates). Knows nothing of policy files or input tables.
"""
