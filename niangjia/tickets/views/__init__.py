"""Ticket pages: staff work pages, the public pages (no login), files, hazards, cooperation and calls, the report."""
