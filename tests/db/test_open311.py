"""Open311 GeoReport v2 import against a local HTTP server serving recorded responses."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from grid_governance_plugin.core.events import open311

pytestmark = pytest.mark.postgis

DATA = Path(__file__).resolve().parent.parent / "data" / "open311"
UTC = dt.timezone.utc
START = dt.datetime(2022, 4, 1, tzinfo=UTC)
END = dt.datetime(2023, 3, 1, tzinfo=UTC)
SERVICE_MAP = {
    "illegal-parking": "SJ0503",  # 机动车乱停放
    "noise-residential": "SJ0601",  # 噪声扰民
    "noise": "SJ0601",
    "noise-commercial": "SJ0601",
    "traffic-signal-condition": "BJ0201",  # 交通信号灯
    "street-condition": "SJ0303",  # 道路破损
    "dirty-condition": "SJ0104",  # 道路不洁
    "outdoor-dining": "SJ0502",  # 店外经营
}
# accepted in windows 1..4: 7 + 2 + 2 + 2; window 4's server also sends 56925114, requested after END
# (2023-03-01 02:55 UTC): the importer keeps only what it asked for (issue #12)
OUTSIDE = "56925114"
ACCEPTED = {
    "56923001",
    "56922496",
    "56923577",
    "56924509",
    "56916142",
    "56917652",
    "56919769",
    "56919924",
    "56922511",
    "56919926",
    "56922254",
    "56920546",
    "56922969",
}


class Open311Server:
    """GeoReport v2 from files: manifest.json maps start_date and page to a response."""

    def __init__(self) -> None:
        self.manifest = json.loads((DATA / "manifest.json").read_text())
        self.log: list[tuple[str, dict[str, str]]] = []
        # (doc, start_date, page) -> [(HTTP status, Retry-After or None), ...] to answer first
        self.fail: dict[tuple[str, str | None, str | None], list[tuple[int, str | None]]] = {}
        # (start_date, page) -> requests to answer instead of the files (a status changing upstream)
        self.bodies: dict[tuple[str, str], list[dict]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_GET(self):  # noqa: N802 - http.server API
                url = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                doc = url.path.rsplit("/", 1)[-1]
                server.log.append((doc, q))
                key = (doc, q.get("start_date"), q.get("page"))
                pending = server.fail.get(key)
                if pending:
                    status, retry_after = pending.pop(0)
                    self.send_response(status)
                    if status == 200:  # a transfer cut short: truncated JSON with a 200
                        self.send_header("Content-Type", "application/json")
                        self.end_headers()
                        self.wfile.write(b'[{"service_request_id": "5692')
                        return
                    if retry_after is not None:
                        self.send_header("Retry-After", retry_after)
                    self.end_headers()
                    self.wfile.write(b"<html>busy</html>")
                    return
                if not url.path.startswith("/open311/v2/"):
                    self.send_response(404)
                    self.end_headers()
                    return
                if doc == "services.json":
                    body = (DATA / "services.json").read_bytes()
                elif doc == "requests.json" and (q.get("start_date"), q.get("page", "1")) in server.bodies:
                    body = json.dumps(server.bodies[(q.get("start_date"), q.get("page", "1"))]).encode()
                elif doc == "requests.json":
                    pages = server.manifest.get(q.get("start_date", ""))
                    name = None if pages is None else pages.get(q.get("page", "1"), pages.get("*"))
                    body = (DATA / name).read_bytes() if name else b"[]"
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.endpoint = f"http://127.0.0.1:{self.httpd.server_address[1]}/open311/v2/"

    def requests_for(self, start: str) -> list[str | None]:
        return [q.get("page") for doc, q in self.log if doc == "requests.json" and q.get("start_date") == start]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Open311Server()
    yield s
    s.close()


@pytest.fixture
def db(db):
    """The migrated database, serving Midtown Manhattan (a city polygon around the NYC sample)."""
    with db.cursor() as cur:
        cur.execute(
            "INSERT INTO gridgov.city (code, name, geom) VALUES ('nyc', 'Midtown test area',"
            " ST_Multi(ST_MakeEnvelope(-74.0126, 40.7360, -73.9630, 40.7590, 4490)))"
        )
    return db


def _client(endpoint: str, sleeps: list[float] | None = None) -> open311.Open311Client:
    return open311.Open311Client(
        endpoint,
        retries=3,
        backoff=0.01,
        timeout=(2, 5),
        sleep=(sleeps.append if sleeps is not None else lambda s: None),
    )


def _events(conn) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT external_id, source, category_code, reported_at, ST_X(geom), ST_Y(geom), description,"
            " media_url, status FROM gridgov.event ORDER BY external_id"
        )
        return cur.fetchall()


def test_windows_are_at_most_90_days():
    wins = open311.windows(START, END)
    assert [w[0].date().isoformat() for w in wins] == ["2022-04-01", "2022-06-30", "2022-09-28", "2022-12-27"]
    assert all(b - a <= dt.timedelta(days=90) for a, b in wins)
    assert wins[0][0] == START and wins[-1][1] == END
    assert all(wins[i][1] == wins[i + 1][0] for i in range(len(wins) - 1))
    with pytest.raises(open311.Open311Error):
        open311.windows(END, START)


def test_endpoint_and_service_map_parsing():
    assert (
        open311.normalize_endpoint("https://h.example/open311/v2/requests.json?x=1") == "https://h.example/open311/v2/"
    )
    assert open311.normalize_endpoint("https://h.example/v2") == "https://h.example/v2/"
    with pytest.raises(open311.Open311Error):
        open311.normalize_endpoint("ftp://h.example/")
    assert open311.parse_service_map('{"a": "SJ0102", "b": ""}') == {"a": "SJ0102"}
    assert open311.parse_service_map("a=SJ0102\n# comment\nb = SJ0201; *=SJ0601") == {
        "a": "SJ0102",
        "b": "SJ0201",
        "*": "SJ0601",
    }
    with pytest.raises(open311.Open311Error):
        open311.parse_service_map("nonsense")


def test_services_list_with_a_429_first(server):
    server.fail[("services.json", None, None)] = [(429, "0")]
    sleeps: list[float] = []
    client = _client(server.endpoint + "services.json", sleeps)
    services = client.services()
    codes = {s["service_code"] for s in services}
    assert {"illegal-parking", "heat-hot-water", "noise-commercial"} <= codes
    assert client.retried == 1 and len(sleeps) == 1 and sleeps[0] < 0.01  # Retry-After: 0 honoured


def test_import_maps_pages_windows_retries_and_reports_rejects(server, db):
    server.fail[("requests.json", "2022-09-28T00:00:00Z", "1")] = [(500, None)]
    report = open311.import_requests(_client(server.endpoint), db, START, END, SERVICE_MAP)

    # paging: window 1 pages until the short page 3; window 2 stops when page 2 repeats page 1;
    # window 3 retries page 1 after the 500 and stops at the empty page 2; window 4's page 2 is malformed
    assert server.requests_for("2022-04-01T00:00:00Z") == ["1", "2", "3"]
    assert server.requests_for("2022-06-30T00:00:00Z") == ["1", "2"]
    assert server.requests_for("2022-09-28T00:00:00Z") == ["1", "1", "2"]
    assert server.requests_for("2022-12-27T00:00:00Z") == ["1", "2", "2"]  # retried once, then reported
    for doc, q in server.log:
        if doc == "requests.json":
            start = dt.datetime.fromisoformat(q["start_date"].replace("Z", "+00:00"))
            end = dt.datetime.fromisoformat(q["end_date"].replace("Z", "+00:00"))
            assert end - start <= dt.timedelta(days=90)

    assert report.source == "open311:127.0.0.1"
    assert report.windows == 4
    assert report.created == len(ACCEPTED) and report.existing == 0
    assert report.outside == 3  # 56925114 and 56922828 (requested in 2099), each time a page sends them
    assert report.repeated == 0  # the request sent twice is 56925114, left out as outside the period
    reasons = {(r.service_request_id, r.reason) for r in report.rejected}
    assert reasons == {
        ("56923685", open311.UNKNOWN_CATEGORY),
        ("56921304", open311.MISSING_COORDINATES),
        ("56919260", open311.BAD_DATE),
        ("56917439", open311.DB_REJECTED),
        (None, open311.MALFORMED_PAGE),
    }
    by_id = {r.service_request_id: r for r in report.rejected}
    assert "outside the served area" in by_id["56917439"].message
    assert "heat-hot-water" in by_id["56923685"].message
    malformed = [r for r in report.rejected if r.reason == open311.MALFORMED_PAGE][0]
    assert "2022-12-27" in malformed.message and "page 2" in malformed.message

    rows = _events(db)
    assert {r[0] for r in rows} == ACCEPTED
    assert {r[1] for r in rows} == {"open311:127.0.0.1"}
    ev = {r[0]: r for r in rows}
    assert OUTSIDE not in ev
    # 56920546: 'Noise - Commercial', 2023-02-28T14:30:59-05:00
    assert ev["56920546"][2] == "SJ0601"
    assert ev["56920546"][3] == dt.datetime(2023, 2, 28, 19, 30, 59, tzinfo=UTC)
    assert ev["56923577"][2] == "BJ0201" and ev["56923577"][6] == "Controller"
    assert ev["56923577"][4] == pytest.approx(-74.007485194390839) and ev["56923577"][5] == pytest.approx(
        40.74821053178345
    )
    # every sample request was closed upstream: imported closed, not as new open cases (issue #12)
    assert {r[8] for r in rows} == {"closed"}
    assert report.closed == len(ACCEPTED)


def test_reimport_creates_no_duplicates(server, db):
    first = open311.import_requests(_client(server.endpoint), db, START, END, SERVICE_MAP)
    before = _events(db)
    second = open311.import_requests(_client(server.endpoint), db, START, END, SERVICE_MAP)
    assert second.created == 0 and second.existing == first.created == len(ACCEPTED)
    assert _events(db) == before
    with db.cursor() as cur:
        cur.execute("SELECT count(*), count(DISTINCT (source, external_id)) FROM gridgov.event")
        assert cur.fetchone() == (len(ACCEPTED), len(ACCEPTED))
        cur.execute("SELECT count(*) FROM gridgov.event_history")
        # reported, then closed upstream (every sample request is closed): no second entry of either
        assert cur.fetchone()[0] == 2 * len(ACCEPTED)


def test_default_category_takes_unknown_service_codes(server, db):
    mapping = dict(SERVICE_MAP, **{"*": "SJ0604"})
    report = open311.import_requests(_client(server.endpoint), db, START, END, mapping)
    assert open311.UNKNOWN_CATEGORY not in {r.reason for r in report.rejected}
    with db.cursor() as cur:
        cur.execute("SELECT category_code FROM gridgov.event WHERE external_id = '56923685'")
        assert cur.fetchone() == ("SJ0604",)


def test_server_errors_that_do_not_end_give_up_after_retries(server, db):
    server.fail[("requests.json", "2022-04-01T00:00:00Z", "1")] = [(503, None)] * 10
    sleeps: list[float] = []
    with pytest.raises(open311.Open311Error, match="503"):
        open311.import_requests(_client(server.endpoint, sleeps), db, START, END, SERVICE_MAP)
    assert len(sleeps) == 3
    # exponential: each wait about twice the previous (plus up to 10 % jitter)
    assert sleeps[0] < sleeps[1] < sleeps[2] and sleeps[2] >= 0.04


def test_unreachable_server_and_client_errors(db):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sleeps: list[float] = []
    client = _client(f"http://127.0.0.1:{port}/open311/v2/", sleeps)
    with pytest.raises(open311.Open311Error, match="cannot reach"):
        client.services()
    assert len(sleeps) == 3


def test_http_404_fails_at_once(server):
    sleeps: list[float] = []
    client = _client(server.endpoint.replace("/open311/v2/", "/nothing/"), sleeps)
    with pytest.raises(open311.Open311Error, match="404"):
        client.services()
    assert sleeps == []


def test_one_db_rejection_does_not_abort_the_window(server, db):
    """A category the database does not know (a stale service map) is a report row, not a crash."""
    mapping = dict(SERVICE_MAP, **{"noise-residential": "XX9999"})
    report = open311.import_requests(_client(server.endpoint), db, START, END, mapping)
    rejected = {r.service_request_id: r for r in report.rejected if r.reason == open311.DB_REJECTED}
    assert "56922496" in rejected and "XX9999 is not in the responsibility list" in rejected["56922496"].message
    assert "56922511" in rejected
    ids = {r[0] for r in _events(db)}
    assert ids == ACCEPTED - {"56922496", "56922511"}


def test_a_page_cut_short_once_is_fetched_again(server, db):
    server.fail[("requests.json", "2022-04-01T00:00:00Z", "2")] = [(200, None)]
    report = open311.import_requests(_client(server.endpoint), db, START, END, SERVICE_MAP)
    assert server.requests_for("2022-04-01T00:00:00Z") == ["1", "2", "2", "3"]
    assert report.created == len(ACCEPTED)
    assert [r.reason for r in report.rejected].count(open311.MALFORMED_PAGE) == 1  # only window 4's page 2


def test_a_status_change_arrives_through_reimport(server, db):
    """Re-importing applies upstream status: open -> closed -> reopened, each in the history with the
    source's updated_datetime; a status the map ignores changes nothing (issue #12, Open311 status)."""
    start, end = START, START + dt.timedelta(days=30)
    first_page = ("2022-04-01T00:00:00Z", "1")
    request = {
        "service_request_id": "SR-77",
        "service_code": "illegal-parking",
        "requested_datetime": "2022-04-04T22:41:08-04:00",
        "updated_datetime": "2022-04-04T22:41:08-04:00",
        "status": "open",
        "long": -73.99,
        "lat": 40.75,
    }

    def reimport(**changes):
        server.bodies[first_page] = [dict(request, **changes)]
        server.bodies[("2022-04-01T00:00:00Z", "2")] = []
        status_map = open311.parse_status_map({"in_progress": "ignore"})  # the rest: the defaults
        return open311.import_requests(_client(server.endpoint), db, start, end, SERVICE_MAP, status_map=status_map)

    def case():
        with db.cursor() as cur:
            cur.execute("SELECT id, status, closed_at FROM gridgov.event WHERE external_id = 'SR-77'")
            return cur.fetchone()

    assert reimport().created == 1
    eid, status, _ = case()
    assert status == "reported"
    closed_at = dt.datetime(2022, 4, 5, 15, 0, tzinfo=UTC)
    report = reimport(status="closed", updated_datetime="2022-04-05T11:00:00-04:00")
    assert (report.created, report.existing, report.closed) == (0, 1, 1)
    assert case()[1:] == ("closed", closed_at)
    assert reimport(status="closed", updated_datetime="2022-04-05T11:00:00-04:00").closed == 0  # nothing new
    assert reimport(status="in_progress", updated_datetime="2022-04-06T09:00:00-04:00").reopened == 0
    assert case()[1] == "closed"
    report = reimport(status="open", updated_datetime="2022-04-07T09:00:00-04:00")
    assert report.reopened == 1 and case()[1:] == ("registered", None)
    with db.cursor() as cur:
        cur.execute(
            "SELECT from_status, to_status, source_at FROM gridgov.event_history WHERE event_id = %s ORDER BY id",
            (eid,),
        )
        assert cur.fetchall() == [
            (None, "reported", None),
            ("reported", "closed", closed_at),
            ("closed", "registered", dt.datetime(2022, 4, 7, 13, 0, tzinfo=UTC)),
        ]
