"""Reads of assistance; each starts from the scoping chokepoint."""
