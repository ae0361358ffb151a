"""Installing the plugin's missing Python packages with pip, the way a user without root can.

* pip runs with QGIS's own Python interpreter (:func:`find_python`: inside QGIS
  ``sys.executable`` is the qgis program, not Python);
* into a folder of the plugin's own in the QGIS profile (``--prefix``, core/deps.py puts it on
  ``sys.path``), never into QGIS's or the system's folders;
* constrained to every package already importable (:func:`constraints`), so numpy, pandas,
  scipy, GDAL, PyQt… stay exactly as QGIS has them (numpy stays < 2 where QGIS was built on 1.x);
* from PyPI, from a pip index address (an intranet mirror) or from a folder of wheels
  (``make wheelhouse``), see :class:`Source`.

No GUI here: gui/deps_dialog.py runs :class:`PipInstall` in a QgsTask.
"""

from __future__ import annotations

import importlib.metadata as md
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from . import deps
from .i18n import tr

PYPI, INDEX, WHEELS = "pypi", "index", "wheels"
PLUGIN_PARENT = Path(__file__).resolve().parents[2]  # the folder holding grid_governance_plugin/
_PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")


# ----------------------------------------------------------------------------- QGIS's Python


def python_candidates(
    executable: str | None = None,
    exec_prefix: str | None = None,
    base_exec_prefix: str | None = None,
    version: tuple[int, int] | None = None,
    platform: str | None = None,
) -> list[Path]:
    """Where QGIS's Python interpreter may be, most likely first (existence is not checked).

    Linux: the distribution's ``/usr/bin/python3.X`` (``sys.base_exec_prefix/bin``).
    Windows (OSGeo4W and the standalone installer): ``apps/Python3X/python.exe``, which is
    ``sys.exec_prefix``, with ``bin/qgis-bin.exe`` beside ``apps``.
    macOS (the official bundle): ``QGIS.app/Contents/MacOS/bin/python3`` next to the QGIS
    program, or the bundled framework's ``bin/python3``.
    """
    executable = executable if executable is not None else sys.executable
    exec_prefix = exec_prefix if exec_prefix is not None else sys.exec_prefix
    base_exec_prefix = base_exec_prefix if base_exec_prefix is not None else sys.base_exec_prefix
    major, minor = version or sys.version_info[:2]
    platform = platform or sys.platform
    exe = Path(executable) if executable else None
    out: list[Path] = []
    if exe is not None and re.match(r"^python(\d+(\.\d+)?)?(\.exe)?$", exe.name, re.I):
        out.append(exe)  # a plain Python (tests, scripts, conda's QGIS started from python)
    if platform.startswith("win"):
        for prefix in (exec_prefix, base_exec_prefix):
            if prefix:
                out += [Path(prefix) / "python.exe", Path(prefix) / "python3.exe"]
        if exe is not None:  # <root>/bin/qgis-bin.exe -> <root>/apps/Python3X/python.exe
            out.append(exe.parent.parent / "apps" / f"Python{major}{minor}" / "python.exe")
            out.append(exe.parent / "python.exe")
    else:
        names = (f"python{major}.{minor}", f"python{major}", "python")
        if platform == "darwin" and exe is not None:
            out += [exe.parent / "bin" / n for n in names]
            out += [
                exe.parent.parent / "Frameworks" / "Python.framework" / "Versions" / f"{major}.{minor}" / "bin" / n
                for n in names
            ]
        for prefix in (base_exec_prefix, exec_prefix):
            if prefix:
                out += [Path(prefix) / "bin" / n for n in names]
        if exe is not None:
            out += [exe.parent / n for n in names]
    unique: list[Path] = []
    for p in out:
        if p not in unique:
            unique.append(p)
    return unique


def _python_identity(path: Path, run=subprocess.run) -> tuple[tuple[int, int], str] | None:
    """(version, base prefix) of the interpreter at ``path``."""
    try:
        res = run(
            [str(path), "-c", "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.base_prefix)"],
            capture_output=True,
            text=True,
            timeout=60,
            env=_clean_env(),
            **_no_window(),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = (res.stdout or "").strip().splitlines()
    m = re.match(r"^(\d+)\.(\d+)$", lines[0].strip()) if lines else None
    if res.returncode != 0 or not m or len(lines) < 2:
        return None
    return (int(m.group(1)), int(m.group(2))), lines[1].strip()


def _same_dir(a: str, b: str) -> bool:
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def find_python(candidates: Iterable[Path] | None = None, run=subprocess.run) -> Path | None:
    """The first candidate that is the Python QGIS runs: same version and same installation.

    The installation (``sys.base_prefix``) matters: another Python 3.11 on PATH (pyenv, conda)
    would install packages built against other libraries.
    """
    want = tuple(sys.version_info[:2])
    for path in candidates if candidates is not None else python_candidates():
        if not path.is_file():
            continue
        ident = _python_identity(path, run)
        if ident is not None and ident[0] == want and _same_dir(ident[1], sys.base_prefix):
            return path
    return None


def _no_window() -> dict:
    """No console window flashing up on Windows."""
    return {"creationflags": 0x08000000} if sys.platform.startswith("win") else {}


def _clean_env(extra_path: Sequence[str] = ()) -> dict[str, str]:
    env = dict(os.environ)
    # a virtualenv's variables would point pip at another environment
    for k in ("VIRTUAL_ENV", "PYTHONSTARTUP", "PIP_REQUIRE_VIRTUALENV", "PIP_USER", "PIP_TARGET", "PIP_PREFIX"):
        env.pop(k, None)
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join(extra_path)
    env["PIP_NO_INPUT"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


# ----------------------------------------------------------------------------- constraints


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def constraints(
    exclude: Iterable[str] = (), skip_paths: Iterable[str | Path] = (), path: list[str] | None = None
) -> list[str]:
    """``name==version`` of every distribution importable here, so that pip keeps them as they are.

    ``exclude``: names pip may install or upgrade (the ones being installed). ``skip_paths``:
    folders whose packages may change (the plugin's own folder).
    """
    skip = {os.path.normcase(os.path.abspath(str(p))) for p in skip_paths}
    search = [
        p for p in (path if path is not None else sys.path) if p and os.path.normcase(os.path.abspath(p)) not in skip
    ]
    excluded = {_norm(n) for n in exclude}
    pins: dict[str, str] = {}
    for dist in md.distributions(path=search):
        name = dist.metadata["Name"] if dist.metadata else None
        version = dist.version or ""
        if not name or _norm(name) in excluded or _norm(name) in pins or not _PEP440.match(version):
            continue  # the first one on sys.path is the importable one; local versions cannot be pinned
        pins[_norm(name)] = version
    return [f"{n}=={v}" for n, v in sorted(pins.items())]


# ----------------------------------------------------------------------------- where from


@dataclass(frozen=True)
class Source:
    """Where pip gets packages: PyPI, a pip index address (intranet mirror) or a folder of wheels."""

    kind: str = PYPI
    location: str = ""

    def pip_args(self) -> list[str]:
        if self.kind == WHEELS:
            return ["--no-index", "--find-links", self.location]
        if self.kind == INDEX:
            args = ["--index-url", self.location]
            url = urlparse(self.location)
            if url.scheme == "http" and url.hostname:  # intranet mirrors often have no TLS
                args += ["--trusted-host", url.hostname]
            return args
        return []

    def problem(self) -> str | None:
        """Why this source cannot be used, or None."""
        if self.kind == WHEELS:
            folder = Path(self.location) if self.location else None
            if folder is None or not folder.is_dir():
                return tr("The wheel folder '{0}' does not exist.", self.location)
            if not any(folder.glob("*.whl")):
                return tr("The folder '{0}' holds no wheels (*.whl). Make one with 'make wheelhouse'.", self.location)
        if self.kind == INDEX and urlparse(self.location).scheme not in ("http", "https", "file"):
            return tr("'{0}' is not a pip index address (http://…/simple).", self.location)
        return None


# ----------------------------------------------------------------------------- the install


@dataclass
class Outcome:
    ok: bool
    message: str
    installed: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    cancelled: bool = False


class PipInstall:
    """One install: build the pip commands, run them, report progress; :meth:`run` may be cancelled."""

    def __init__(
        self,
        requirements: Sequence[deps.Requirement],
        source: Source = Source(),
        prefix: Path | None = None,
        python: Path | None = None,
        upgrade: Sequence[deps.Requirement] = (),
        warm_up_profile: str | Path | None = None,
    ) -> None:
        self.requirements = list(requirements)
        self.upgrade = list(upgrade)  # installed outside the plugin's folder but too old
        self.source = source
        self.prefix = Path(prefix) if prefix is not None else deps.prefix_dir()
        self.python = python
        self.warm_up_profile = warm_up_profile  # QGIS profile whose numba cache to fill after installing
        self.log: list[str] = []
        self._proc: subprocess.Popen | None = None

    # the pieces, separate so that tests can check them
    def pip_launcher(self, python: Path) -> list[str] | None:
        """``python -m pip``, or pip run from a pip wheel in the wheel folder when QGIS's Python has none."""
        try:
            res = subprocess.run(
                [str(python), "-m", "pip", "--version"], capture_output=True, text=True, timeout=120,
                env=_clean_env(), **_no_window()
            )  # fmt: skip
            if res.returncode == 0:
                return [str(python), "-m", "pip"]
        except (OSError, subprocess.SubprocessError):
            pass
        if self.source.kind == WHEELS:
            wheels = sorted(Path(self.source.location).glob("pip-*.whl"))
            if wheels:  # pip runs from its own wheel (documented by pip)
                return [str(python), str(wheels[-1] / "pip")]
        return None

    def commands(self, launcher: list[str], constraints_file: Path) -> list[list[str]]:
        common = [
            "install",
            "--prefix",
            str(self.prefix),
            "--no-warn-script-location",
            "--progress-bar",
            "off",
            "-c",
            str(constraints_file),
            *self.source.pip_args(),
        ]
        cmds = []
        if self.upgrade:
            # a too-old copy outside our folder (say Debian's shapely 1.8) stays where it is;
            # the new one goes into our folder, which comes first on sys.path
            cmds.append([*launcher, *common, "--ignore-installed", "--no-deps", *[r.spec() for r in self.upgrade]])
        cmds.append([*launcher, *common, *[r.spec() for r in self.requirements]])
        return cmds

    def env(self) -> dict[str, str]:
        """PYTHONPATH: the plugin's folder and everything QGIS imports from, so pip sees what is installed."""
        ours = [str(p) for p in deps.site_dirs(self.prefix)]
        return _clean_env(ours + [p for p in sys.path if p and os.path.isdir(p) and p not in ours])

    def cancel(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()

    def run(
        self,
        progress: Callable[[float], None] = lambda p: None,
        line: Callable[[str], None] = lambda s: None,
        is_canceled: Callable[[], bool] = lambda: False,
    ) -> Outcome:
        problem = self.source.problem()
        if problem:
            return Outcome(False, problem)
        python = self.python or find_python()
        if python is None:
            return Outcome(
                False,
                tr(
                    "QGIS's Python interpreter was not found (looked for {0}). Install the packages by hand "
                    "(see the README).",
                    ", ".join(str(p) for p in python_candidates()[:4]),
                ),
            )
        launcher = self.pip_launcher(python)
        if launcher is None:
            return Outcome(
                False,
                tr(
                    "QGIS's Python ({0}) has no pip. On Debian or Ubuntu install the package python3-pip, or "
                    "install from a wheel folder made with 'make wheelhouse' (it includes pip).",
                    str(python),
                ),
            )
        self.prefix.mkdir(parents=True, exist_ok=True)
        exclude = [r.pip for r in [*self.requirements, *self.upgrade]] + [d for r in self.requirements for d in r.dists]
        pins = constraints(exclude=exclude, skip_paths=deps.site_dirs(self.prefix))
        with tempfile.TemporaryDirectory(prefix="gridgov-pip-") as tmp:
            cfile = Path(tmp) / "constraints.txt"
            cfile.write_text("\n".join(pins) + "\n", encoding="utf-8")
            commands = self.commands(launcher, cfile)
            collected = 0
            progress(1.0)
            for cmd in commands:
                self._say(line, "$ " + " ".join(cmd))
                try:
                    self._proc = subprocess.Popen(
                        cmd,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT,
                        text=True,
                        encoding="utf-8",
                        errors="replace",
                        env=self.env(),
                        **_no_window(),
                    )
                except OSError as exc:
                    return Outcome(False, tr("pip could not be started: {0}", str(exc)), log=self.log)
                assert self._proc.stdout is not None
                watcher = threading.Thread(target=self._watch, args=(self._proc, is_canceled), daemon=True)
                watcher.start()
                for raw in self._proc.stdout:
                    text = raw.rstrip()
                    self._say(line, text)
                    if text.startswith(("Collecting ", "Processing ", "Requirement already satisfied")):
                        collected += 1
                        progress(5.0 + 70.0 * (1.0 - math.exp(-collected / 12.0)))
                    elif text.startswith("Installing collected packages"):
                        progress(80.0)
                rc = self._wait()
                if is_canceled():
                    return Outcome(False, tr("The install was cancelled."), log=self.log, cancelled=True)
                if rc != 0:
                    tail = [s for s in self.log if s.strip()][-6:]
                    return Outcome(False, tr("pip failed (exit status {0}):\n{1}", rc, "\n".join(tail)), log=self.log)
        installed = []
        for s in self.log:
            if s.startswith("Successfully installed "):
                installed += s[len("Successfully installed ") :].split()
        if self.warm_up_profile is not None and not is_canceled():
            progress(90.0)
            self._warm_up(python, line)
        progress(100.0)
        return Outcome(True, tr("Installed: {0}", ", ".join(installed) or tr("nothing new")), installed, self.log)

    def _warm_up(self, python: Path, line: Callable[[str], None]) -> None:
        """Compile the hotspot kernels once now, so that no hotspot run waits for numba later.

        A separate process of the same Python, with the plugin's folder first on its path, writes
        numba's cache into the profile; QGIS sessions then load it. Failing here only costs speed.
        """
        self._say(line, tr("Preparing faster hotspots (compiled once; this can take a minute)…"))
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); "
            "from grid_governance_plugin.core.events.hotspots import warm_up_kernels; "
            "print(warm_up_kernels(sys.argv[2]))"
        )
        env = self.env()
        env.pop("NUMBA_CACHE_DIR", None)
        try:
            res = subprocess.run(
                [str(python), "-c", code, str(PLUGIN_PARENT), str(self.warm_up_profile)],
                capture_output=True, text=True, timeout=1800, env=env, **_no_window(),
            )  # fmt: skip
            self._say(line, (res.stdout or "").strip() or (res.stderr or "").strip()[-500:])
        except (OSError, subprocess.SubprocessError) as exc:
            self._say(line, str(exc))

    def _watch(self, proc: subprocess.Popen, is_canceled: Callable[[], bool]) -> None:
        """Stop pip soon after Cancel, even while it prints nothing (a large download)."""
        while proc.poll() is None:
            if is_canceled():
                proc.terminate()
                return
            time.sleep(0.2)

    def _wait(self) -> int:
        proc = self._proc
        assert proc is not None
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if proc.poll() is None:
            proc.kill()
        return proc.wait()

    def _say(self, line: Callable[[str], None], text: str) -> None:
        self.log.append(text)
        line(text)
