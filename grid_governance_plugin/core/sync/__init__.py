"""Versions, conflicts and offline sync (issue #11, docs/sync.md)."""
