"""Assistance pages: the work queue, applications, the hardship archive, contact households, rounds."""
