#!/usr/bin/env python3
"""Generate the demo city and write it to a GeoPackage and/or a PostGIS database.

    python scripts/gencity.py --seed 42 --scale demo --out dist/demo.gpkg
    python scripts/gencity.py --scale city --out /tmp/city.gpkg --postgis "host=... dbname=..."

--scale: demo (one district), city (5,500 grids, 50,000 cameras, 500,000 buildings,
2,000,000 events) or a fraction of city such as 0.1. --as-of: the generator's "now"
(ISO 8601 or 'now'); by default a fixed time so that a seed always gives the same city.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _scale(text: str) -> str | float:
    if text in ("demo", "city"):
        return text
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("scale must be demo, city or a number") from None


def _as_of(text: str) -> datetime:
    if text == "now":
        return datetime.now(timezone.utc).replace(microsecond=0)
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scale", type=_scale, default="demo")
    parser.add_argument("--out", type=Path, help="GeoPackage to (over)write")
    parser.add_argument(
        "--postgis", metavar="DSN", help="libpq connection string of a database with the gridgov schema"
    )
    parser.add_argument("--migrate", action="store_true", help="apply the gridgov migrations before loading")
    parser.add_argument("--truncate", action="store_true", help="empty the gridgov data tables before loading")
    parser.add_argument("--as-of", type=_as_of, default=None, help="generator's 'now' (ISO 8601 or 'now')")
    args = parser.parse_args(argv)
    if not args.out and not args.postgis:
        parser.error("give --out and/or --postgis")

    from grid_governance_plugin.core import democity
    from grid_governance_plugin.core.store import gpkg, schema

    t0 = time.time()
    city = democity.generate(seed=args.seed, scale=args.scale, as_of=args.as_of)
    print(f"generated seed={args.seed} scale={args.scale} as_of={city.as_of.isoformat()} in {time.time() - t0:.1f} s")
    counts = city.counts()
    width = max(len(s.name) for s in schema.LAYERS)
    for spec in schema.LAYERS:
        print(f"  {spec.name:<{width}} {counts[spec.name]:>10,}")
    if args.out:
        t1 = time.time()
        gpkg.write_city(city, args.out)
        print(f"wrote {args.out} in {time.time() - t1:.1f} s")
    if args.postgis:
        import psycopg2

        from grid_governance_plugin.core.store import pgload

        t1 = time.time()
        conn = psycopg2.connect(args.postgis)
        try:
            if args.migrate:
                from grid_governance_plugin.core.store import migrations

                migrations.migrate(conn)
            loaded = pgload.load_city(conn, city, truncate=args.truncate)
        finally:
            conn.close()
        print(f"loaded into PostGIS in {time.time() - t1:.1f} s: {sum(loaded.values()):,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
