"""The input tables: their schema and typing, reading them from files, checking them, plain rows.

``schema`` (columns, kinds, labels; typing text as people write it), ``io`` (workbooks, CSV and
parquet in; results out), ``checks`` (every problem with its row, column and fix) and ``rows``
(the same typing on plain dicts, for the Python backend).
"""
