"""The Python packages the plugin needs beyond QGIS: what is there, what is missing, what that disables.

The check is cheap (``importlib.util.find_spec`` and package metadata, nothing heavy is
imported), so it runs at every start-up, in the desktop and in ``qgis_process``.

Packages the plugin installs itself (gui/deps_dialog.py, core/pipinstall.py) go into a folder
of its own inside the user's QGIS profile; :func:`activate` puts that folder on ``sys.path``
before anything imports from it.
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import N_, tr

DATA_FOLDER = "grid_governance_plugin"  # inside the QGIS profile folder


@dataclass(frozen=True)
class Requirement:
    """One Python package: ``pip`` is what pip installs, ``module`` what the plugin imports."""

    pip: str
    module: str
    minimum: str = ""
    optional: bool = False
    why: str = ""  # N_() text: what the plugin uses it for
    dists: tuple[str, ...] = ()  # distribution names it may be installed under (default: pip)

    def spec(self) -> str:
        """The pip requirement, e.g. ``shapely>=2.0``."""
        return f"{self.pip}>={self.minimum}" if self.minimum else self.pip

    def label(self) -> str:
        """How a user reads it: ``shapely ≥ 2.0``."""
        return f"{self.module} ≥ {self.minimum}" if self.minimum else self.module


# Everything in requirements.txt, plus what QGIS brings on most but not all platforms
# (scipy is not a dependency of Debian's QGIS). tests/core/test_deps.py keeps this and
# requirements.txt in step.
REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("shapely", "shapely", "2.0", why=N_("fast geometry for coverage, grids and hotspots")),
    Requirement("scipy", "scipy", "1.8", why=N_("graphs and optimisation for coverage and grid partition")),
    Requirement("geopandas", "geopandas", "0.14", why=N_("spatial tables that libpysal builds on")),
    Requirement("libpysal", "libpysal", "4.9", why=N_("spatial weights for hotspots")),
    Requirement("esda", "esda", "2.5", why=N_("the Getis-Ord Gi* statistic for hotspots")),
    Requirement("openpyxl", "openpyxl", why=N_("camera lists delivered as Excel (.xlsx)")),
    Requirement("requests", "requests", why=N_("Open311 (12345 hotline) import")),
    Requirement("pyproj", "pyproj", why=N_("coordinates of the demo city")),
    Requirement(
        "psycopg2-binary",
        "psycopg2",
        why=N_("the shared PostGIS database"),
        dists=("psycopg2", "psycopg2-binary"),
    ),
    Requirement("gpxpy", "gpxpy", "1.5", why=N_("patrol tracks from the worker app as GPX")),
    Requirement("numba", "numba", optional=True, why=N_("faster hotspots")),
)
BY_MODULE = {r.module: r for r in REQUIREMENTS}


@dataclass(frozen=True)
class Capability:
    """Something a user does with the plugin and the modules it needs."""

    key: str
    label: str  # N_() text
    needs: tuple[str, ...]  # modules (Requirement.module)
    algorithms: tuple[str, ...] = ()  # gridgov algorithm ids
    optional: bool = False  # an improvement of another capability, not a feature of its own


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "coverage",
        N_("Camera coverage: fields of view, blind spots, placement suggestions, the camera tool"),
        ("shapely", "scipy"),
        ("camerafov", "coverage", "suggestcameras"),
    ),
    Capability(
        "grids",
        N_("Grid planning: checks, workload statistics, unification, partition, codes, editing tools"),
        ("shapely", "scipy"),
        ("validategrids", "gridstats", "unifygrids", "partitiongrids", "gridcodes"),
    ),
    Capability(
        "hotspots",
        N_("Event hotspots (Getis-Ord Gi*)"),
        ("shapely", "scipy", "geopandas", "libpysal", "esda"),
        ("hotspots",),
    ),
    Capability("fast_hotspots", N_("Faster hotspots"), ("numba",), optional=True),
    Capability("demo", N_("The demo city"), ("shapely", "pyproj"), ("generatedemo",)),
    Capability("excel", N_("Camera lists from Excel (.xlsx)"), ("openpyxl",)),
    Capability("cameras", N_("Camera import from CSV and OpenStreetMap"), (), ("importcameras",)),
    Capability(
        "database",
        N_("The shared database: schema, case board, live events, overdue cases, offline copies"),
        ("psycopg2",),
        ("installschema", "overduecases", "escalateoverdue", "checkout", "syncoffline"),
    ),
    Capability("open311", N_("Open311 (12345 hotline) import"), ("psycopg2", "requests"), ("importopen311",)),
    Capability(
        "patrols",
        N_("Grid workers' patrols: track import and patrol coverage"),
        ("shapely", "psycopg2", "gpxpy"),
        ("patrolcoverage", "importpatroltracks"),
    ),
    Capability(
        "assessment",
        N_("Assessment and rankings (response, resolution, satisfaction)"),
        ("shapely", "psycopg2"),
        ("assessment",),
    ),
    Capability("basics", N_("GeoPackage store, settings, styles, the atlas"), ()),
)
CAPABILITY = {c.key: c for c in CAPABILITIES}

OK, MISSING, TOO_OLD = "ok", "missing", "too_old"


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in re.split(r"[.+-]", text.strip()):
        m = re.match(r"\d+", piece)
        if not m:
            break
        parts.append(int(m.group()))
    return tuple(parts)


def version_at_least(found: str, minimum: str) -> bool:
    """``2.0.1`` ≥ ``2.0``; versions that do not parse count as new enough."""
    if not minimum:
        return True
    have = _version_tuple(found)
    if not have:
        return True
    want = _version_tuple(minimum)
    n = max(len(have), len(want))
    return have + (0,) * (n - len(have)) >= want + (0,) * (n - len(want))


@dataclass
class Found:
    """The state of one requirement in this Python."""

    req: Requirement
    status: str
    version: str = ""
    location: str = ""
    loaded: bool = False  # already imported in this session (cannot be replaced without a restart)

    @property
    def ok(self) -> bool:
        return self.status == OK


def _dist_version(req: Requirement, location: str) -> str:
    names = req.dists or (req.pip,)
    paths = [location] if location else None
    for name in names:
        try:
            dists = list(md.distributions(name=name, path=paths)) if paths else [md.distribution(name)]
        except md.PackageNotFoundError:
            continue
        if dists:
            return dists[0].version or ""
    return ""


def probe(req: Requirement) -> Found:
    """Where ``req`` is importable from and its version, without importing it (unless it already is)."""
    mod = sys.modules.get(req.module)
    if mod is not None:
        version = str(getattr(mod, "__version__", "") or "").split(" ")[0]
        origin = getattr(mod, "__file__", "") or ""
        location = str(Path(origin).parent.parent) if origin else ""
        version = version or _dist_version(req, location)
        status = OK if version_at_least(version, req.minimum) else TOO_OLD
        return Found(req, status, version, location, loaded=True)
    try:
        spec = importlib.util.find_spec(req.module)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return Found(req, MISSING)
    origin = spec.origin or (list(spec.submodule_search_locations or [""])[0])
    location = ""
    if origin and origin != "namespace":
        p = Path(origin)
        location = str(p.parent.parent if p.name == "__init__.py" else p.parent)
    version = _dist_version(req, location)
    status = OK if version_at_least(version, req.minimum) else TOO_OLD
    return Found(req, status, version, location)


@dataclass
class Report:
    """The result of :func:`check`."""

    found: dict[str, Found] = field(default_factory=dict)  # by module

    def ok(self, module: str) -> bool:
        f = self.found.get(module)
        return f is not None and f.ok

    def missing(self, include_optional: bool = True) -> list[Found]:
        """Requirements not usable here (missing or too old), required ones first."""
        out = [f for f in self.found.values() if not f.ok and (include_optional or not f.req.optional)]
        return sorted(out, key=lambda f: f.req.optional)

    def capability_missing(self, key: str) -> list[Requirement]:
        return [BY_MODULE[m] for m in CAPABILITY[key].needs if not self.ok(m)]

    def available(self, key: str) -> bool:
        return not self.capability_missing(key)

    def unavailable_capabilities(self, include_optional: bool = True) -> list[Capability]:
        return [c for c in CAPABILITIES if not self.available(c.key) and (include_optional or not c.optional)]

    def working_capabilities(self) -> list[Capability]:
        return [c for c in CAPABILITIES if self.available(c.key) and not c.optional]

    def algorithm_missing(self, alg_id: str) -> list[Requirement]:
        """Requirements an algorithm (``hotspots`` or ``gridgov:hotspots``) lacks here."""
        alg_id = alg_id.split(":", 1)[-1]
        out: list[Requirement] = []
        for c in CAPABILITIES:
            if alg_id in c.algorithms:
                out += [r for r in self.capability_missing(c.key) if r not in out]
        return out

    @property
    def complete(self) -> bool:
        """Nothing required is missing (optional packages may be)."""
        return not self.missing(include_optional=False)

    def to_install(self) -> list[Requirement]:
        """What Install installs: every requirement that is missing or too old, optional ones too."""
        return [f.req for f in self.missing()]


def check(requirements: tuple[Requirement, ...] = REQUIREMENTS) -> Report:
    """Probe every requirement (after :func:`activate` so the plugin's own folder counts)."""
    importlib.invalidate_caches()
    return Report({r.module: probe(r) for r in requirements})


def describe(req: Requirement, found: Found | None = None) -> str:
    """One line: 'shapely ≥ 2.0 (found 1.8.5): fast geometry for …'."""
    state = ""
    if found is not None and found.status == TOO_OLD:
        state = " " + tr("(found {0})", found.version)
    why = tr(req.why) if req.why else ""
    optional = " " + tr("(optional)") if req.optional else ""
    return f"{req.label()}{state}{optional}: {why}" if why else f"{req.label()}{state}{optional}"


def summary(report: Report) -> str:
    """What is missing, which capabilities need it, and what still works (plain text, translated)."""
    lines: list[str] = []
    missing = report.missing()
    if not missing:
        return tr("All Python packages the plugin uses are installed.")
    lines.append(tr("Missing from QGIS's Python:"))
    lines += ["  • " + describe(f.req, f) for f in missing]
    gone = report.unavailable_capabilities()
    if gone:
        lines.append(tr("Unavailable until they are installed:"))
        for c in gone:
            needs = ", ".join(r.label() for r in report.capability_missing(c.key))
            lines.append("  • " + tr("{0} (needs {1})", tr(c.label), needs))
    works = report.working_capabilities()
    if works:
        lines.append(tr("Still works:"))
        lines += ["  • " + tr(c.label) for c in works]
    return "\n".join(lines)


def short_message(report: Report) -> str:
    """One sentence for a message bar."""
    required = [f.req.label() for f in report.missing(include_optional=False)]
    if required:
        gone = [tr(c.label).split(":")[0] for c in report.unavailable_capabilities(include_optional=False)]
        return tr(
            "Python packages are missing: {0}. Unavailable until installed: {1}.",
            ", ".join(required),
            "; ".join(gone),
        )
    optional = [f.req.label() for f in report.missing()]
    if optional:
        return tr("Optional Python packages are missing: {0} (faster hotspots).", ", ".join(optional))
    return ""


# ----------------------------------------------------------------------------- the plugin's folder


def data_dir(base: str | Path | None = None) -> Path:
    """The plugin's own folder inside the QGIS profile (installed packages, numba's cache)."""
    if base is None:
        from qgis.core import QgsApplication

        base = QgsApplication.qgisSettingsDirPath()
    return Path(base) / DATA_FOLDER


def prefix_dir(base: str | Path | None = None) -> Path:
    """pip's ``--prefix`` for this Python version (binary packages differ between versions)."""
    return data_dir(base) / f"python{sys.version_info[0]}.{sys.version_info[1]}"


def site_dirs(prefix: Path) -> list[Path]:
    """The folders under a pip ``--prefix`` that hold packages (layouts differ: Debian adds local/)."""
    if not prefix.is_dir():
        return []
    found = []
    for pattern in (
        "lib/python*/site-packages",
        "local/lib/python*/dist-packages",
        "lib64/python*/site-packages",
        "lib/python*/dist-packages",
        "Lib/site-packages",
    ):
        found += sorted(p for p in prefix.glob(pattern) if p.is_dir())
    out: list[Path] = []
    for p in found:
        if p not in out:
            out.append(p)
    return out


def activate(base: str | Path | None = None) -> list[str]:
    """Put the plugin's package folders first on ``sys.path``; returns those added."""
    try:
        dirs = site_dirs(prefix_dir(base))
    except Exception:  # no QgsApplication (plain Python): nothing installed by the plugin
        return []
    added = []
    for d in reversed(dirs):
        s = str(d)
        if s not in sys.path:
            sys.path.insert(0, s)
            added.append(s)
    if added:
        importlib.invalidate_caches()
    return added
