"""Reading spreadsheets as union staff keep them: bounded file reading, header matching, cell parsers.

Generic to every roster a part imports (enterprises and workers in `registry`, staff in `orgs`):

- `reading.read_rows` (with `sandbox`, `sandbox_child`, `limits`): xlsx, xls and csv, bounded;
- `columns`: a file's columns (`Column`) and header matching that forgives how people spell them;
- `rows`: finding the header row and parsing the rows below it;
- `cells`: one cell to a Python value, or a Chinese reason with the fix;
- `errors`: `ImportFileError`, `RowError`, errors kept in file order; `report`: the error list as xlsx.

What the columns of a kind are, and what a row becomes, belongs to the part importing it.
"""
