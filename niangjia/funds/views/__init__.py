"""Funds pages: pools with their balances and ledger, allocations, payment batches, the fund report."""
