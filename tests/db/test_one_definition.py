"""The house (issue #8): overdue and the coordinate inversion are each defined once, in the database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgis
PKG = Path(__file__).resolve().parents[2] / "grid_governance_plugin"


def _source(cur, name: str) -> str:
    cur.execute("SELECT prosrc FROM pg_proc WHERE pronamespace = 'gridgov'::regnamespace AND proname = %s", (name,))
    return cur.fetchone()[0]


def test_overdue_is_defined_once(db):
    with db.cursor() as cur:
        cur.execute("SELECT pg_get_viewdef('gridgov.case_board'::regclass)")
        assert "case_board_at(now()" in cur.fetchone()[0]
        cur.execute("SELECT reloptions FROM pg_class WHERE oid = 'gridgov.case_board'::regclass")
        assert "security_invoker=true" in cur.fetchone()[0]  # the view reads as its caller: RLS applies
        board_at = _source(cur, "case_board_at")
        # hours late/left: gridgov.case_hours, the arithmetic hours_between uses too (009: working time)
        assert "gridgov.is_overdue(" in board_at and "gridgov.case_hours(" in board_at
        cur.execute(
            "SELECT prosrc FROM pg_proc WHERE oid = 'gridgov.hours_between(timestamptz, timestamptz, text)'::regprocedure"
        )
        assert "gridgov.case_hours(" in cur.fetchone()[0]
        assert "is_overdue(" in _source(cur, "escalate_overdue")
    # no second definition in Python: the board and the algorithm read case_board_at
    for path in ("core/events/board.py", "processing/alg_events.py"):
        text = (PKG / path).read_text(encoding="utf-8")
        assert not re.search(r"deadline_at\s*<\s*%\(at\)s", text), path
        assert "extract(epoch" not in text, path


def test_one_inversion_loop_for_gcj02_and_bd09(db):
    with db.cursor() as cur:
        cur.execute(
            "SELECT proname FROM pg_proc WHERE pronamespace = 'gridgov'::regnamespace AND prosrc ~* '\\mLOOP\\M'"
            " AND proname = ANY(%s) ORDER BY 1",
            (
                [
                    "_invert",
                    "wgs84_to_gcj02",
                    "gcj02_to_wgs84",
                    "gcj02_to_bd09",
                    "bd09_to_gcj02",
                    "bd09_to_wgs84",
                    "to_wgs84",
                ],
            ),
        )
        assert [r[0] for r in cur.fetchall()] == ["_invert"]
        for fn in ("gcj02_to_wgs84", "bd09_to_gcj02"):
            assert "gridgov._invert(" in _source(cur, fn), fn
