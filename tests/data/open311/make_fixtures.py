"""Regenerate the recorded GeoReport v2 responses from the real NYC 311 sample.

Run once by hand (``python tests/data/open311/make_fixtures.py``); the tests only read
the JSON files. See README.txt for what is real and what was arranged.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = Path("/work/shared/realdata/nyc_midtown/nyc311_sample_in_midtown_bbox.geojson")
STATUS = {"Closed": "closed"}  # everything else (Open, In Progress, Assigned...) is 'open' in GeoReport v2


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def nyc_time(text: str, date: dt.date | None = None) -> str | None:
    """'02/28/2023 11:45:00 PM' (New York local) as W3C with the EST/EDT offset, optionally moved to ``date``."""
    if not text:
        return None
    t = dt.datetime.strptime(text, "%m/%d/%Y %I:%M:%S %p")
    if date is not None:
        t = t.replace(year=date.year, month=date.month, day=date.day)
    offset = "-04:00" if 3 <= t.month <= 10 else "-05:00"  # close enough for fixtures: DST Mar..Oct
    return t.strftime("%Y-%m-%dT%H:%M:%S") + offset


def request(p: dict, date: dt.date | None = None, **override) -> dict:
    r = {
        "service_request_id": p["Unique Key"],
        "status": STATUS.get(p["Status"], "open"),
        "status_notes": p["Resolution Description"] or None,
        "service_name": p["Complaint Type"],
        "service_code": slug(p["Complaint Type"]),
        "description": p["Descriptor"] or None,
        "agency_responsible": p["Agency Name"],
        "service_notice": None,
        "requested_datetime": nyc_time(p["Created Date"], date),
        "updated_datetime": nyc_time(p["Resolution Action Updated Date"], date),
        "expected_datetime": nyc_time(p["Due Date"], date),
        "address": p["Incident Address"] or None,
        "address_id": p["BBL"] or None,
        "zipcode": p["Incident Zip"] or None,
        "lat": p["Latitude"],
        "long": p["Longitude"],
        "media_url": None,
    }
    r.update(override)
    return r


def main() -> None:
    feats = [f["properties"] for f in json.loads(SAMPLE.read_text())["features"]]
    by_type: dict[str, list[dict]] = {}
    for p in feats:
        by_type.setdefault(p["Complaint Type"], []).append(p)
    kinds = [
        "Illegal Parking",
        "Noise - Residential",
        "Traffic Signal Condition",
        "Street Condition",
        "Dirty Condition",
        "Outdoor Dining",
        "Noise",
    ]
    # round robin over the kinds, so every page mixes service codes
    pick = iter([p for group in itertools.zip_longest(*(by_type[k][:3] for k in kinds)) for p in group if p])
    heat = by_type["HEAT/HOT WATER"]

    def take(n: int, first_day: dt.date) -> list[dict]:
        return [request(next(pick), first_day + dt.timedelta(days=7 * i)) for i in range(n)]

    files: dict[str, object] = {}
    # window 1 (2022-04-01 .. 2022-06-30): a server that pages: 3 + 3 + 1 (short page ends it)
    w1 = take(7, dt.date(2022, 4, 4))
    files["requests_w1_p1.json"] = w1[0:3]
    files["requests_w1_p2.json"] = w1[3:6]
    files["requests_w1_p3.json"] = w1[6:7]
    # window 2 (2022-06-30 .. 2022-09-28): a server that ignores 'page' and repeats page 1
    files["requests_w2.json"] = take(2, dt.date(2022, 7, 11))
    # window 3 (2022-09-28 .. 2022-12-27): answers 500 once, then this page; rows it cannot take
    good = take(2, dt.date(2022, 10, 3))
    unknown = request(heat[0], dt.date(2022, 11, 2))  # HEAT/HOT WATER: no category for it
    nocoords = request(
        heat[1],
        dt.date(2022, 11, 3),
        service_code="illegal-parking",
        service_name="Illegal Parking",
        lat=None,
        long=None,
    )
    badtime = request(next(pick), dt.date(2022, 11, 4), requested_datetime="28/11/2022 25:61")
    files["requests_w3_p1.json"] = good + [unknown, nocoords, badtime]
    files["requests_w3_p2.json"] = []
    # window 4 (2022-12-27 .. 2023-03-01): the real day (2023-02-28), then a malformed page
    real = [request(p) for p in by_type["Noise - Commercial"][1:4]]
    real[0]["media_url"] = "https://example.org/photos/" + real[0]["service_request_id"] + ".jpg"
    outside = request(by_type["Illegal Parking"][-1], lat=40.6501, long=-73.9496)  # moved to Flatbush, Brooklyn
    future = request(by_type["Illegal Parking"][-2], requested_datetime="2099-02-28T10:00:00-05:00")
    repeat = dict(good[0])  # a server that includes window boundaries twice: same id again
    files["requests_w4_p1.json"] = real + [outside, future, repeat]

    services = []
    for name, group in sorted(by_type.items()):
        services.append(
            {
                "service_code": slug(name),
                "service_name": name,
                "description": group[0]["Agency Name"],
                "metadata": False,
                "type": "realtime",
                "keywords": "",
                "group": group[0]["Agency"],
            }
        )
    files["services.json"] = services
    for name, data in files.items():
        (HERE / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    # a page cut off mid-transfer
    (HERE / "requests_w4_p2.json").write_text(json.dumps(real, ensure_ascii=False, indent=1)[:300], encoding="utf-8")
    manifest = {
        "2022-04-01T00:00:00Z": {"1": "requests_w1_p1.json", "2": "requests_w1_p2.json", "3": "requests_w1_p3.json"},
        "2022-06-30T00:00:00Z": {"*": "requests_w2.json"},
        "2022-09-28T00:00:00Z": {"1": "requests_w3_p1.json", "*": "requests_w3_p2.json"},
        "2022-12-27T00:00:00Z": {"1": "requests_w4_p1.json", "2": "requests_w4_p2.json"},
    }
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
