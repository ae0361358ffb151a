"""Events and case supervision (pure Python, no GUI).

``cases`` mirrors the database's case flow (migration 002), ``coords`` the GCJ-02/BD-09
conversions of the field-channel contract (migration 004, docs/field-channels.md).
"""
