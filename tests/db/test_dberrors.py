"""The database's refusals, caught from a real PostgreSQL, read as Chinese sentences that say what to do."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import psycopg2
import pytest

from grid_governance_plugin.core import dberrors
from grid_governance_plugin.core.events import board
from tests.e2e.visible_text import english_words
from tests.helpers import report_event

pytestmark = pytest.mark.postgis


def _english(text: str) -> list[str]:
    return english_words(text)


def _refusal(conn, sql: str, args=()) -> psycopg2.Error:
    with pytest.raises(psycopg2.Error) as info:
        with conn.cursor() as cur:
            cur.execute(sql, args)
    conn.rollback()
    return info.value


@pytest.fixture
def conn(gridgov_db):
    c = psycopg2.connect(gridgov_db)
    yield c
    c.close()


def _case(conn, status_path=()) -> str:
    eid = report_event(conn)
    conn.commit()
    for to in status_path:
        board.transition(conn, eid, to)
    return eid


def test_an_illegal_transition_names_both_states_and_what_to_do(conn, chinese):
    eid = _case(conn)
    with pytest.raises(psycopg2.Error) as info:
        board.transition(conn, eid, "closed")
    msg = dberrors.explain(info.value)
    assert "上报" in msg and "结案" in msg and "刷新" in msg, msg
    assert _english(msg) == [], msg


def test_a_step_done_twice_says_someone_did_it_already(conn, chinese):
    eid = _case(conn, ["registered"])
    with pytest.raises(psycopg2.Error) as info:
        board.transition(conn, eid, "registered")
    msg = dberrors.explain(info.value)
    assert "立案" in msg and "刷新" in msg and _english(msg) == [], msg


def test_unknown_department_and_terminal_assignment(conn, chinese):
    eid = _case(conn)
    with pytest.raises(psycopg2.Error) as info:
        board.assign(conn, eid, "NOPE")
    msg = dberrors.explain(info.value)
    assert "NOPE" in msg and "权责清单" in msg, msg
    board.transition(conn, eid, "void")
    with pytest.raises(psycopg2.Error) as info:
        board.assign(conn, eid, "GA")
    msg = dberrors.explain(info.value)
    assert "作废" in msg and _english(msg) == [], msg


def test_field_channel_refusals(conn, chinese):
    cases = {
        "category": dict(category="NOPE99"),
        "future": dict(reported_at=datetime.now(timezone.utc) + timedelta(days=2)),
        "degrees": dict(lon=500.0),
        "outside": dict(lon=-70.0, lat=-40.0),
    }
    msgs = {}
    for key, kwargs in cases.items():
        with pytest.raises(psycopg2.Error) as info:
            report_event(conn, **kwargs)
        conn.rollback()
        msgs[key] = dberrors.explain(info.value)
    assert "NOPE99" in msgs["category"] and "权责清单" in msgs["category"], msgs
    assert "未来" in msgs["future"] and "时钟" in msgs["future"], msgs
    assert "经纬度" in msgs["degrees"] or "经度" in msgs["degrees"], msgs
    assert "服务区域" in msgs["outside"], msgs
    for msg in msgs.values():
        assert _english(msg) == [], msg
    err = _refusal(conn, "SELECT gridgov.report_event(NULL, 'x', 'SJ0102', now(), 116.4, 39.9, 'wgs84')")
    assert dberrors.explain(err).startswith("来源"), dberrors.explain(err)


def test_generic_constraint_errors_name_the_field(conn, chinese):
    err = _refusal(conn, "UPDATE gridgov.event SET level = 'planet' WHERE id = %s", (_case(conn),))
    msg = dberrors.explain(err)
    assert "等级" in msg and _english(msg) == [], msg
    err = _refusal(conn, "INSERT INTO gridgov.department (code, name, level) VALUES ('GA', 'x', 'district')")
    msg = dberrors.explain(err)
    assert "已存在" in msg, msg


def test_closed_loop_refusals_say_why_and_what_to_do(conn, chinese):
    """吹哨, suspension, extension, decisions and resuming, refused by 009's functions."""

    def refused(call, *args) -> str:
        with pytest.raises(psycopg2.Error) as info:
            call(conn, *args)
        msg = dberrors.explain(info.value)
        assert _english(msg) == [], msg
        return msg

    handled = _case(conn, ["registered", "dispatched"])
    request = board.request_suspension(conn, handled, "等待施工许可")
    msg = refused(board.request_extension, handled, "再给两天", 16.0)
    assert f"申请 {request} 仍在等待" in msg and "刷新" in msg, msg
    reported = _case(conn)
    assert "上报" in refused(board.request_suspension, reported, "等待许可")  # only a case being handled
    assert "理由" in refused(board.escalate_case, handled, "  ")
    board.decide_request(conn, request, False, "材料不全")
    msg = refused(board.decide_request, request, True)
    assert f"申请 {request} 已被审批" in msg and "已驳回" in msg, msg
    assert "未挂账" in refused(board.resume_case, handled)
    board.escalate_case(conn, handled, "多部门推诿")  # community -> street
    board.escalate_case(conn, handled, "街道协调不动")  # street -> district
    assert "区级" in refused(board.escalate_case, handled, "再往上")
    board.transition(conn, reported, "void")  # 012: refused by escalate_case itself, not by RAISE's NULL hint
    assert "作废" in refused(board.escalate_case, reported, "已作废的案件")


def test_permission_denied_says_to_ask_for_a_role(gridgov_db, chinese):
    admin = psycopg2.connect(gridgov_db)
    admin.autocommit = True
    name = f"t_nobody_{uuid.uuid4().hex[:8]}"
    with admin.cursor() as cur:
        cur.execute(f"CREATE ROLE {name} LOGIN")
    try:
        conn = psycopg2.connect(gridgov_db.replace("user=postgres", f"user={name}"))
        err = _refusal(conn, "SELECT gridgov.transition(gen_random_uuid(), 'registered', NULL, NULL)")
        conn.close()
        assert err.pgcode == "42501"
        msg = dberrors.explain(err)
        assert "管理员" in msg and "权限" in msg, msg
    finally:
        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,))
            cur.execute(f"DROP ROLE {name}")
        admin.close()


def test_a_provider_text_without_sqlstate_is_matched_by_its_fixed_part(chinese):
    exc = Exception(
        "ERROR:  illegal case transition reported -> closed (event 5d0c…)\nHINT:  allowed from reported: registered"
    )
    assert "上报" in dberrors.explain(exc) and "结案" in dberrors.explain(exc)
    assert dberrors.explain(ValueError("网格 12 无几何")) == "网格 12 无几何"


def test_an_unknown_refusal_is_shown_with_a_translated_lead_in(chinese):
    exc = Exception("ERROR:  something nobody foresaw")
    msg = dberrors.explain(exc)
    assert msg.startswith("数据库拒绝") and "something nobody foresaw" in msg, msg


def test_a_rule_added_later_comes_first(chinese):
    rule = dberrors.Rule(
        dberrors.N_("Your login may not do this. Ask your administrator for the role it needs."),
        pattern=r"source \S+ is not registered",
    )
    dberrors.add_rule(rule)
    try:
        assert "管理员" in dberrors.explain(Exception("ERROR:  report_event: source x is not registered"))
    finally:
        dberrors.RULES.remove(rule)


def test_an_unreachable_server_gets_a_translated_lead_in(pg_server, chinese):
    with pytest.raises(psycopg2.OperationalError) as info:
        psycopg2.connect(host=pg_server.host, port=1, dbname="x", connect_timeout=5)
    msg = dberrors.explain(info.value)
    assert msg.startswith("无法连接数据库"), msg
