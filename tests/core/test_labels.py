"""Codes in the store, labels on the screen: every code a screen shows has a Chinese label."""

from __future__ import annotations

import sys
from pathlib import Path

from grid_governance_plugin.core import labels
from grid_governance_plugin.core.categories import DEPARTMENTS
from grid_governance_plugin.core.grids.validate import ERROR_TYPES
from grid_governance_plugin.core.store.schema import CAMERA_STATUSES, CASE_STATES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import i18n  # noqa: E402


def test_every_stored_code_has_a_translated_label():
    catalogue = i18n.catalogue("zh_CN")
    for kind, codes in (
        ("case_status", CASE_STATES),
        ("camera_status", CAMERA_STATUSES),
        ("grid_problem", ERROR_TYPES),
        ("level", ("community", "street", "district")),
    ):
        for code in codes:
            source = labels.KINDS[kind].get(code)
            assert source, f"{kind} code {code!r} has no label"
            assert catalogue.get(source), f"{kind} label {source!r} has no zh_CN translation"


def test_label_falls_back_to_the_code_and_names_departments():
    assert labels.label("case_status", "something_new") == "something_new"
    assert labels.label("level", None) == ""
    code, name, _ = DEPARTMENTS[0]
    assert labels.label("department", code) == name
    assert labels.label("department", "ZZ") == "ZZ"
    assert [c for c, _ in labels.choices("level")][:3] == ["city", "district", "street"]


def test_every_new_kind_is_translated_and_history_notes_of_the_database_read_as_chinese(chinese):
    from tests.e2e.visible_text import english

    catalogue = i18n.catalogue("zh_CN")
    for kind in ("live_state", "field", "db_object", "actor", "event_source", "plan_status"):
        for code, source in labels.KINDS[kind].items():
            assert catalogue.get(source), f"{kind} {code}: {source!r} has no zh_CN translation"
    assert labels.label("level", "street") == "街道"
    assert labels.label("camera_status", "faulty") == "故障"
    assert labels.label("grid_problem", "outside_parent") != "outside_parent"
    assert labels.label("actor", "postgres") == "数据库管理员"
    notes = [
        labels.history_note("escalated community -> street (吹哨报到): deadline passed"),
        labels.history_note("assigned to CGZF / w12: 请尽快处理"),
        labels.history_note("assigned to GA"),
        labels.history_note("merged 2 duplicate(s): 1f0c, 2a9d"),
    ]
    assert english(notes) == [], notes
    assert notes[0] == "已超期：由社区级升级至街道级（吹哨报到）"
    assert notes[1].endswith(": 请尽快处理") and labels.label("department", "CGZF") in notes[1], notes
    assert labels.history_note("手写备注") == "手写备注" and labels.history_note(None) == ""
