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
