#!/usr/bin/env python3
"""The zh_CN catalogue: extract tr() strings into i18n/*.ts, fill translations, compile.

  i18n.py update            scan the package, add new strings to the .ts (unfinished), drop vanished ones
  i18n.py missing           list strings without a translation (exit 1 if any)
  i18n.py fill FILE.tsv     take 'source<TAB>translation' lines into the .ts
  i18n.py compile OUTDIR    lrelease the .ts files into OUTDIR/*.qm

Strings are found by AST: calls tr("..."), self.tr("..."), N_("..."), and the class
attributes ALG_NAME, GROUP, HELP and TITLE (translated through tr() at run time).
All share one context, GridGov (see core/i18n.py).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "grid_governance_plugin"
TS_FILES = sorted((ROOT / "i18n").glob("grid_governance_plugin_*.ts"))
CONTEXT = "GridGov"
CLASS_ATTRS = {"ALG_NAME", "GROUP", "HELP", "TITLE"}


def _const_str(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# scripts that build user-visible things with the plugin's tr() (the demo project's layer names)
EXTRA_FILES = (ROOT / "scripts" / "make_demo.py",)


def extract(package: Path = PACKAGE) -> dict[str, str]:
    """Source string -> first 'file:line' where it occurs."""
    found: dict[str, str] = {}
    extra = [p for p in EXTRA_FILES if p.exists()] if package == PACKAGE else []
    for path in [*sorted(package.rglob("*.py")), *extra]:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            text = None
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in ("tr", "N_", "translate"):
                    arg = node.args[1] if name == "translate" and len(node.args) > 1 else node.args[0]
                    text = _const_str(arg)
            elif isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and len(stmt.targets) == 1
                        and isinstance(stmt.targets[0], ast.Name)
                        and stmt.targets[0].id in CLASS_ATTRS
                    ):
                        t = _const_str(stmt.value)
                        if t:
                            found.setdefault(t, f"{path.relative_to(package.parent)}:{stmt.lineno}")
                continue
            if text:
                found.setdefault(text, f"{path.relative_to(package.parent)}:{node.lineno}")
    return found


def read_ts(path: Path) -> tuple[str, dict[str, str]]:
    if not path.exists():
        return path.stem.split("_", 3)[-1], {}
    root = ET.parse(path).getroot()
    lang = root.get("language", "")
    out = {}
    for msg in root.iter("message"):
        src = msg.findtext("source") or ""
        tr_el = msg.find("translation")
        unfinished = tr_el is not None and tr_el.get("type") in ("unfinished", "obsolete", "vanished")
        out[src] = "" if (tr_el is None or unfinished) else (tr_el.text or "")
    return lang, out


def write_ts(path: Path, lang: str, strings: dict[str, str], translations: dict[str, str]) -> None:
    root = ET.Element("TS", version="2.1", language=lang)
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    for src in sorted(strings):
        msg = ET.SubElement(ctx, "message")
        file_, _, line = strings[src].rpartition(":")
        ET.SubElement(msg, "location", filename=f"../{file_}", line=line)
        ET.SubElement(msg, "source").text = src
        t = ET.SubElement(msg, "translation")
        if translations.get(src):
            t.text = translations[src]
        else:
            t.set("type", "unfinished")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def missing(path: Path, strings: dict[str, str] | None = None) -> list[str]:
    strings = extract() if strings is None else strings
    _, translations = read_ts(path)
    return [s for s in sorted(strings) if not translations.get(s)]


def lrelease() -> str:
    for cand in ("lrelease", "/usr/lib/qt5/bin/lrelease", "lrelease-qt5"):
        found = shutil.which(cand) or (cand if Path(cand).exists() else None)
        if found:
            return found
    raise SystemExit("lrelease not found: install qttools5-dev-tools (scripts/bootstrap.sh does)")


def main(argv: list[str]) -> int:
    cmd = argv[1] if len(argv) > 1 else "update"
    ts_files = TS_FILES or [ROOT / "i18n" / "grid_governance_plugin_zh_CN.ts"]
    if cmd == "update":
        strings = extract()
        for path in ts_files:
            lang, translations = read_ts(path)
            write_ts(path, lang or "zh_CN", strings, translations)
            print(f"{path.name}: {len(strings)} strings, {len(missing(path, strings))} untranslated")
        return 0
    if cmd == "missing":
        bad = 0
        for path in ts_files:
            for s in missing(path):
                print(f"{path.name}: {s!r}")
                bad += 1
        return 1 if bad else 0
    if cmd == "fill":
        pairs = {}
        for line in Path(argv[2]).read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                src, dst = line.split("\t", 1)
                pairs[src.replace("\\n", "\n")] = dst.replace("\\n", "\n")
        strings = extract()
        for path in ts_files:
            lang, translations = read_ts(path)
            translations.update({k: v for k, v in pairs.items() if v})
            write_ts(path, lang or "zh_CN", strings, translations)
        return 0
    if cmd == "compile":
        out = Path(argv[2])
        out.mkdir(parents=True, exist_ok=True)
        for path in ts_files:
            subprocess.run([lrelease(), "-silent", str(path), "-qm", str(out / (path.stem + ".qm"))], check=True)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
