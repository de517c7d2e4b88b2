"""The bulk backend: the tables prepared once (``prepare``), then each plan as a lazy Polars query
(``evaluate``, with entity bases and related-table aggregations in ``related``)."""
