"""The demo part: `niangjia seed --preset xian` and each part's demo data, at the top of the dependency order.

One module per part, called in dependency order by the `seed` command: `orgs.py` (the union
tree and staff), `registry.py` (enterprises, workers, households and facts; helpers
`enterprises.py`, `people.py`, `households.py`, `facts.py`, `writing.py`), `transfers.py`,
`screening.py`. A later part adds its module here and its step to the command.
"""
