"""Policy files: their model, dated parameters, loading and validation, and the compiled plan.

``model`` (frozen dataclasses), ``parameters`` (region- and date-indexed values), ``loading``
(YAML with line numbers), ``errors`` (issues naming file, line and fix), ``pack`` (a directory
loaded and validated) and ``plan`` (one policy compiled for one as-of date).
"""
