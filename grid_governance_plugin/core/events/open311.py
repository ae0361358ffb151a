"""Open311 GeoReport v2 import into ``gridgov.report_event``.

* ``Open311Client`` talks to a GeoReport v2 endpoint with ``requests``: ``services.json``
  and ``requests.json`` in date windows of at most 90 days (the spec's limit), with the
  non-standard ``page`` parameter that many servers support. Paging stops at an empty
  page, a page repeating the previous one (the server ignores ``page``) or a short page.
  Connection errors, timeouts, 5xx and 429 are retried with exponential backoff (a
  numeric Retry-After is honoured); other 4xx fail at once; a malformed page is retried
  once and then reported, and the import goes on with the next window.
* ``import_requests`` maps each request to ``report_event`` (source ``open311:<host>``,
  external_id = service_request_id) inside a savepoint per row, so one rejected row
  never aborts the others, and commits after every window. Re-importing is idempotent
  because report_event is. Rows it cannot take are listed in the returned report.
* Status (issue #12): each request's upstream ``status`` goes through a status map (``open``
  and ``closed`` by default, anything else a server reports mapped by the user: Ushahidi-style
  ``acknowledged``, ``in_progress``, ``resolved``...) to ``gridgov.report_status``, in the same
  savepoint as its report: a request closed upstream is imported closed at its
  ``updated_datetime`` (never as a new open case with a fresh deadline), and re-importing moves
  a case when its upstream status changed (closed → 结案, reopened → 重办), recorded in the
  history with the source's time.
* Only requests whose ``requested_datetime`` lies in the window asked for are taken: some
  servers ignore ``start_date``/``end_date`` and send everything.

The Processing algorithm ``gridgov:importopen311`` wraps this; docs/events.md
describes the mapping.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import requests

from .. import dberrors
from ..i18n import tr
from ..log import get_logger

LOG = get_logger("open311")
MAX_WINDOW = dt.timedelta(days=90)  # GeoReport v2: start/end may not span more than 90 days
MAX_PAGES = 1000  # a server that pages forever must not hang the import
DEFAULT_KEY = "*"  # SERVICE_MAP key for "every other service code"

# reasons of rejected rows (stable codes for tests and reports; messages are translated)
MISSING_ID = "missing_id"
MISSING_COORDINATES = "missing_coordinates"
BAD_DATE = "bad_date"
UNKNOWN_CATEGORY = "unknown_category"
DB_REJECTED = "db_rejected"
MALFORMED_PAGE = "malformed_page"
STATUS_REJECTED = "status_rejected"

# upstream status (lower case) -> the case flow: open, closed, or ignore (leave the case as it is).
# GeoReport v2 defines open and closed; the rest are what other servers report (editable per import).
DEFAULT_STATUS_MAP: dict[str, str] = {
    "open": "open",
    "closed": "closed",
    "acknowledged": "open",
    "in_progress": "open",
    "in progress": "open",
    "assigned": "open",
    "pending": "open",
    "started": "open",
    "resolved": "closed",
    "fixed": "closed",
    "archived": "closed",
}
FLOW_STATUSES = ("open", "closed", "ignore")


class Open311Error(RuntimeError):
    """The endpoint cannot be used (bad URL, HTTP error after retries, not GeoReport)."""


class _Malformed(ValueError):
    """A response that is not the JSON list GeoReport v2 promises."""


@dataclass
class Rejected:
    service_request_id: str | None
    service_code: str | None
    reason: str
    message: str

    def as_row(self) -> list[Any]:
        return [self.service_request_id, self.service_code, self.reason, self.message]


@dataclass
class ImportReport:
    source: str = ""
    windows: int = 0
    pages: int = 0
    http_requests: int = 0
    retries: int = 0
    fetched: int = 0
    created: int = 0
    existing: int = 0
    repeated: int = 0  # the same request seen twice in one run (window boundaries)
    outside: int = 0  # sent although requested outside the window asked for (a server ignoring the dates)
    closed: int = 0  # cases closed by their upstream status in this run (new requests closed upstream too)
    reopened: int = 0  # closed cases their server reopened
    unmapped_status: dict[str, int] = field(default_factory=dict)  # upstream status -> requests (left as they were)
    rejected: list[Rejected] = field(default_factory=list)
    canceled: bool = False

    @property
    def accepted(self) -> int:
        return self.created + self.existing

    def summary(self) -> str:
        text = tr(
            "{0}: {1} requests fetched in {2} windows; {3} new, {4} already imported, {5} rejected.",
            self.source,
            self.fetched,
            self.windows,
            self.created,
            self.existing,
            len(self.rejected),
        )
        text += " " + tr("Status: {0} closed at the source, {1} reopened.", self.closed, self.reopened)
        if self.outside:
            text += " " + tr(
                "{0} requests outside the period asked for were left out (the server ignores start_date/end_date).",
                self.outside,
            )
        if self.unmapped_status:
            text += " " + tr(
                "Statuses not in the status map (cases left as they were): {0}.",
                ", ".join(f"{k} ({v})" for k, v in sorted(self.unmapped_status.items())),
            )
        return text


# --------------------------------------------------------------------------- client


class Open311Client:
    """A GeoReport v2 endpoint, e.g. ``https://host/open311/v2/``."""

    def __init__(
        self,
        endpoint: str,
        jurisdiction_id: str | None = None,
        api_key: str | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        retries: int = 4,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        use_pages: bool = True,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base = normalize_endpoint(endpoint)
        self.host = (urlparse(self.base).hostname or "").lower()
        self.jurisdiction_id = jurisdiction_id
        self.api_key = api_key
        self.timeout = timeout
        self.retries = max(int(retries), 0)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.use_pages = use_pages
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", "gridgov-qgis-open311/1")
        self.session.headers["Accept"] = "application/json"
        self._sleep = sleep
        self.http_requests = 0
        self.retried = 0

    @property
    def source(self) -> str:
        return f"open311:{self.host}"

    def _params(self, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.jurisdiction_id:
            params["jurisdiction_id"] = self.jurisdiction_id
        if self.api_key:
            params["api_key"] = self.api_key
        params.update(extra or {})
        return params

    def get_json(self, name: str, params: Mapping[str, Any] | None = None, feedback=None) -> Any:
        """GET ``name`` (e.g. 'requests.json') with retries; the decoded JSON list.

        Raises Open311Error after the last retry, or at once on a 4xx other than 429;
        raises _Malformed when two attempts returned something other than a JSON list.
        """
        url = self.base + name
        last: str = ""
        malformed = False
        for attempt in range(self.retries + 1):
            if feedback is not None and feedback.isCanceled():
                raise Open311Error(tr("Canceled."))
            if attempt:
                self.retried += 1
            delay = None
            try:
                self.http_requests += 1
                resp = self.session.get(url, params=self._params(params), timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = tr("cannot reach {0}: {1}", url, type(exc).__name__)
            else:
                if resp.status_code == 429 or resp.status_code >= 500:
                    last = tr("{0} answered HTTP {1}", url, resp.status_code)
                    delay = _retry_after(resp.headers.get("Retry-After"))
                elif resp.status_code >= 400:
                    raise Open311Error(tr("{0} answered HTTP {1}: {2}", url, resp.status_code, _snippet(resp.text)))
                else:
                    try:
                        data = resp.json()
                    except ValueError:
                        data = None
                    if isinstance(data, list):
                        return data
                    if isinstance(data, dict) and isinstance(data.get("service_requests"), list):
                        return data["service_requests"]  # some servers wrap the list
                    last = tr(
                        "{0} returned something that is not a GeoReport v2 JSON list: {1}", url, _snippet(resp.text)
                    )
                    if malformed:  # twice: a broken page, not a broken transfer; retrying more won't help
                        raise _Malformed(last)
                    malformed = True
            if attempt < self.retries:
                wait = delay if delay is not None else min(self.max_backoff, self.backoff * 2**attempt)
                wait *= 1.0 + 0.1 * random.random()  # jitter: clients that failed together retry apart
                LOG.info(tr("Open311 import: retry {0} of {1} in {2:.1f} s ({3}).", attempt + 1, url, wait, last))
                self._sleep(wait)
        if malformed:
            raise _Malformed(last)
        raise Open311Error(tr("Giving up after {0} attempts: {1}", self.retries + 1, last))

    def services(self, feedback=None) -> list[dict[str, Any]]:
        """The server's service list (services.json)."""
        try:
            data = self.get_json("services.json", feedback=feedback)
        except _Malformed as exc:
            raise Open311Error(str(exc)) from exc
        return [s for s in data if isinstance(s, dict)]

    def requests_in_window(
        self,
        start: dt.datetime,
        end: dt.datetime,
        report: ImportReport | None = None,
        feedback=None,
        extra: Mapping[str, Any] | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """Pages of requests with requested_datetime in [start, end] (the server's bounds)."""
        params: dict[str, Any] = {"start_date": _w3c(start), "end_date": _w3c(end)}
        params.update(extra or {})
        previous: list[Any] | None = None
        first_len = 0
        for page in range(1, MAX_PAGES + 1):
            if self.use_pages:
                params["page"] = page
            try:
                rows = self.get_json("requests.json", params, feedback)
            except _Malformed as exc:
                if report is not None:
                    report.rejected.append(
                        Rejected(
                            None,
                            None,
                            MALFORMED_PAGE,
                            tr("Window {0} .. {1}, page {2}: {3}", _w3c(start), _w3c(end), page, str(exc)),
                        )
                    )
                return
            if report is not None:
                report.pages += 1
            if not rows:
                return
            ids = [r.get("service_request_id") if isinstance(r, dict) else r for r in rows]
            if previous is not None and ids == previous:
                return  # the server ignores 'page': it sent page 1 again
            yield rows
            if not self.use_pages or (previous is not None and len(rows) < first_len):
                return  # a short page is the last one
            first_len = first_len or len(rows)
            previous = ids


def normalize_endpoint(endpoint: str) -> str:
    """The base URL (ending in '/') of an endpoint given with or without a document name."""
    url = (endpoint or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise Open311Error(tr("'{0}' is not an http(s) URL of an Open311 GeoReport v2 endpoint.", endpoint))
    url = url.split("?", 1)[0].split("#", 1)[0]
    for doc in ("requests.json", "services.json", "discovery.json", "requests.xml", "services.xml"):
        if url.endswith("/" + doc):
            url = url[: -len(doc)]
    return url if url.endswith("/") else url + "/"


def windows(
    start: dt.datetime, end: dt.datetime, size: dt.timedelta = MAX_WINDOW
) -> list[tuple[dt.datetime, dt.datetime]]:
    """[start, end] cut into consecutive windows of at most ``size`` (at most 90 days)."""
    start, end = _utc(start), _utc(end)
    if start is None or end is None or end <= start:
        raise Open311Error(tr("The end of the import period must be after its start."))
    size = min(size, MAX_WINDOW)
    out = []
    t = start
    while t < end:
        t1 = min(t + size, end)
        out.append((t, t1))
        t = t1
    return out


# --------------------------------------------------------------------------- mapping


def parse_service_map(text: str | Mapping[str, str] | None) -> dict[str, str]:
    """A service_code → category mapping from a dict, JSON object text or 'code=category' lines.

    The key '*' maps every service code not listed. Empty → {}.
    """
    if text is None:
        return {}
    if isinstance(text, Mapping):
        return {str(k).strip(): str(v).strip() for k, v in text.items() if str(v).strip()}
    text = text.strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise Open311Error(tr("The service map is not valid JSON: {0}", str(exc))) from exc
        if not isinstance(data, dict):
            raise Open311Error(tr("The service map must be a JSON object of service_code: category."))
        return parse_service_map(data)
    out: dict[str, str] = {}
    for line in text.replace(";", "\n").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise Open311Error(tr("Service map line '{0}' is not service_code=category.", line))
        k, v = line.split("=", 1)
        if v.strip():
            out[k.strip()] = v.strip()
    return out


def parse_status_map(value: Any) -> dict[str, str]:
    """An upstream status → flow (open, closed, ignore) map, upstream statuses in lower case.

    ``value``: a dict, 'status=flow' lines (or JSON), or a Processing matrix (a flat list
    [status, flow, status, flow, ...]). Empty → DEFAULT_STATUS_MAP. The defaults stay under
    what is given, so 'closed' and 'open' always map unless the user maps them otherwise.
    """
    if value is None or value == "" or value == []:
        return dict(DEFAULT_STATUS_MAP)
    if isinstance(value, (list, tuple)):
        flat = [str(v).strip() if v is not None else "" for v in value]
        if len(flat) % 2:
            raise Open311Error(tr("The status map needs two columns: the server's status and open/closed/ignore."))
        pairs = {flat[i]: flat[i + 1] for i in range(0, len(flat), 2) if flat[i]}
    elif isinstance(value, Mapping):
        pairs = {str(k).strip(): str(v).strip() for k, v in value.items()}
    else:
        try:
            pairs = parse_service_map(value)
        except Open311Error as exc:
            raise Open311Error(tr("The status map: {0}", str(exc))) from exc
    out = dict(DEFAULT_STATUS_MAP)
    for k, v in pairs.items():
        flow = v.strip().lower()
        if flow not in FLOW_STATUSES:
            raise Open311Error(tr("The status map maps '{0}' to '{1}'; use open, closed or ignore.", k, v))
        out[k.strip().lower()] = flow
    return out


def map_request(req: Any, service_map: Mapping[str, str], source: str) -> tuple[dict[str, Any] | None, Rejected | None]:
    """The report_event arguments for one GeoReport request, or why it cannot be taken."""
    if not isinstance(req, dict):
        return None, Rejected(None, None, MISSING_ID, tr("Not a service request object: {0}", _snippet(str(req))))
    rid = req.get("service_request_id")
    rid = str(rid).strip() if rid is not None else ""
    code = req.get("service_code")
    code = str(code).strip() if code is not None else None
    if not rid:
        return None, Rejected(None, code, MISSING_ID, tr("The request has no service_request_id."))
    category = service_map.get(code or "") or service_map.get(DEFAULT_KEY)
    if not category:
        return None, Rejected(
            rid,
            code,
            UNKNOWN_CATEGORY,
            tr(
                "Service code '{0}' ({1}) has no category in the service map.",
                code or "",
                req.get("service_name") or "",
            ),
        )
    reported_at = _utc(req.get("requested_datetime"))
    if reported_at is None:
        return None, Rejected(
            rid,
            code,
            BAD_DATE,
            tr("requested_datetime '{0}' is not a date and time.", req.get("requested_datetime") or ""),
        )
    lon, lat = _float(req.get("long")), _float(req.get("lat"))
    if lon is None or lat is None or (lon == 0 and lat == 0):  # 0,0 is how some servers say "unknown"
        return None, Rejected(rid, code, MISSING_COORDINATES, tr("The request has no coordinates (lat/long)."))
    description = req.get("description")
    media = req.get("media_url")
    return {
        "source": source,
        "external_id": rid,
        "category": category,
        "reported_at": reported_at,
        "lon": lon,
        "lat": lat,
        "coord_sys": "wgs84",
        "description": str(description)[:2000] if description else None,  # report_event's limits
        "reporter": None,  # GeoReport v2 does not publish reporters
        "media_url": str(media) if media and len(str(media)) <= 1000 else None,
        # not report_event's: the upstream status and when it last changed (the request's time if not given)
        "_status": str(req.get("status")).strip() if req.get("status") not in (None, "") else None,
        "_changed_at": _utc(req.get("updated_datetime")) or reported_at,
    }, None


REPORT_EVENT_SQL = (
    "SELECT gridgov.report_event(%(source)s, %(external_id)s, %(category)s, %(reported_at)s, %(lon)s, %(lat)s,"
    " %(coord_sys)s, %(description)s, %(reporter)s, %(media_url)s)"
)
REPORT_STATUS_SQL = "SELECT gridgov.report_status(%(source)s, %(external_id)s, %(flow)s, %(changed_at)s)"


def import_requests(
    client: Open311Client,
    conn,
    start: dt.datetime,
    end: dt.datetime,
    service_map: Mapping[str, str],
    feedback=None,
    window: dt.timedelta = MAX_WINDOW,
    status_map: Mapping[str, str] | None = None,
) -> ImportReport:
    """Fetch [start, end] window by window and feed every request to report_event, and its status to report_status.

    ``conn`` is a psycopg2 connection; each page is committed (with anything the caller had pending). Raises
    Open311Error when the server fails for good; what was committed stays (re-running is safe).
    ``status_map``: upstream status (lower case) → open, closed or ignore (default DEFAULT_STATUS_MAP).
    """
    report = ImportReport(source=client.source)
    wins = windows(start, end, window)
    statuses = dict(DEFAULT_STATUS_MAP) if status_map is None else {k.lower(): v for k, v in status_map.items()}
    seen: set[str] = set()
    if conn.autocommit:  # savepoints need a transaction
        conn.autocommit = False
    for wi, (w0, w1) in enumerate(wins):
        if feedback is not None and feedback.isCanceled():
            report.canceled = True
            break
        report.windows += 1
        last = wi == len(wins) - 1
        try:
            for rows in client.requests_in_window(w0, w1, report, feedback):
                if feedback is not None and feedback.isCanceled():
                    report.canceled = True
                    break
                rows = _in_window(rows, w0, w1, last, report)
                _store_page(conn, rows, service_map, client.source, seen, report, statuses)
                conn.commit()
        finally:
            report.http_requests, report.retries = client.http_requests, client.retried
        if report.canceled:
            break
        if feedback is not None:
            feedback.setProgress(100.0 * (wi + 1) / len(wins))
            feedback.pushInfo(tr("Window {0} .. {1}: {2} requests so far.", _w3c(w0), _w3c(w1), report.fetched))
    conn.commit()
    return report


def _in_window(rows: list[Any], w0: dt.datetime, w1: dt.datetime, last: bool, report: ImportReport) -> list[Any]:
    """The rows requested in [w0, w1) ([w0, w1] for the last window); the others are counted, not taken.

    Rows without a readable requested_datetime stay: map_request reports them.
    """
    kept = []
    for r in rows:
        t = _utc(r.get("requested_datetime")) if isinstance(r, dict) else None
        if t is not None and (t < w0 or t > w1 or (t == w1 and not last)):
            report.fetched += 1
            report.outside += 1
            continue
        kept.append(r)
    return kept


def _store_page(
    conn,
    rows: list[Any],
    service_map: Mapping[str, str],
    source: str,
    seen: set[str],
    report: ImportReport,
    statuses: Mapping[str, str] | None = None,
) -> None:
    mapped: list[dict[str, Any]] = []
    for req in rows:
        report.fetched += 1
        args, rejected = map_request(req, service_map, source)
        if rejected is not None:
            report.rejected.append(rejected)
            continue
        if args["external_id"] in seen:
            report.repeated += 1
            continue
        seen.add(args["external_id"])
        mapped.append(args)
    if not mapped:
        return
    statuses = DEFAULT_STATUS_MAP if statuses is None else statuses
    with conn.cursor() as cur:
        known = _known_ids(cur, source, [a["external_id"] for a in mapped])
        for args in mapped:
            upstream = args.pop("_status")
            changed_at = args.pop("_changed_at")
            flow = statuses.get(upstream.lower()) if upstream else None
            if upstream and flow is None:
                report.unmapped_status[upstream] = report.unmapped_status.get(upstream, 0) + 1
            # A savepoint per row: report_event raises on invalid input, which would
            # otherwise abort the whole transaction and every row after it. The status goes
            # in the same savepoint: a request closed upstream is never left open.
            cur.execute("SAVEPOINT open311_row")
            step = DB_REJECTED
            try:
                cur.execute(REPORT_EVENT_SQL, args)
                cur.fetchone()
                after = None
                if flow in ("open", "closed"):
                    step = STATUS_REJECTED
                    cur.execute(REPORT_STATUS_SQL, {**args, "flow": flow, "changed_at": changed_at})
                    after = cur.fetchone()[0]
            except Exception as exc:  # psycopg2.Error: the database said no
                cur.execute("ROLLBACK TO SAVEPOINT open311_row")
                report.rejected.append(
                    Rejected(args["external_id"], _code_of(rows, args["external_id"]), step, _pg_message(exc))
                )
                continue
            cur.execute("RELEASE SAVEPOINT open311_row")
            was = known.get(args["external_id"]) if known is not None else None
            if known is not None and args["external_id"] in known:
                report.existing += 1
            else:
                report.created += 1
            if after is not None and after != was:
                if after == "closed":
                    report.closed += 1
                elif was == "closed":
                    report.reopened += 1


def _known_ids(cur, source: str, ids: list[str]) -> dict[str, str] | None:
    """The ids already stored with their status (for the report); None when the role may not read events."""
    cur.execute("SAVEPOINT open311_known")
    try:
        cur.execute(
            "SELECT external_id, status FROM gridgov.event WHERE source = %s AND external_id = ANY(%s)", (source, ids)
        )
        found = dict(cur.fetchall())
    except Exception:  # a channel role: counts are then all "created"
        cur.execute("ROLLBACK TO SAVEPOINT open311_known")
        return None
    cur.execute("RELEASE SAVEPOINT open311_known")
    return found


def _code_of(rows: list[Any], rid: str) -> str | None:
    for r in rows:
        if isinstance(r, dict) and str(r.get("service_request_id", "")).strip() == rid:
            code = r.get("service_code")
            return str(code) if code is not None else None
    return None


# --------------------------------------------------------------------------- helpers


def _pg_message(exc: Exception) -> str:
    return dberrors.explain(exc)


def _retry_after(value: str | None) -> float | None:
    try:
        return min(max(float(value), 0.0), 300.0) if value is not None else None
    except ValueError:
        return None  # an HTTP date: use our own backoff


def _snippet(text: str, n: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n] + "…"


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _utc(value: Any) -> dt.datetime | None:
    """An aware UTC datetime from a datetime or a W3C/ISO 8601 string; naive means UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        d = value
    elif isinstance(value, str):
        try:
            d = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return d.replace(tzinfo=dt.timezone.utc) if d.tzinfo is None else d.astimezone(dt.timezone.utc)


def _w3c(d: dt.datetime) -> str:
    return _utc(d).strftime("%Y-%m-%dT%H:%M:%SZ")
