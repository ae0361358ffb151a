#!/usr/bin/env python3
"""The zh_CN catalogue: extract tr() strings, check translations, compile.

Translations live in i18n/<lang>/*.tsv, one 'source<TAB>translation' line per string
(backslash escapes \\n, \\t and \\\\), split by topic so that work on different parts of
the plugin touches different files. A source string is translated in exactly one file.

  i18n.py missing              list strings without a translation (exit 1 if any)
  i18n.py stale                list translations whose source no longer occurs in the code
  i18n.py add FILE.tsv S T     add (or replace) one translation in FILE.tsv, kept sorted
  i18n.py ts OUTDIR            write a Qt Linguist .ts per language into OUTDIR
  i18n.py compile OUTDIR       write the .ts files and lrelease them into OUTDIR/*.qm

Strings are found by AST: calls tr("..."), self.tr("..."), N_("..."), and the class
attributes ALG_NAME, GROUP, HELP and TITLE (translated through tr() at run time).
All share one context, GridGov (see core/i18n.py).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "grid_governance_plugin"
I18N = ROOT / "i18n"
LANGS = ("zh_CN",)
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


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "\\": "\\"}.get(m.group(1), m.group(0)), text)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def read_tsv(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if "\t" not in line:
            raise ValueError(f"{path.name}:{n}: no TAB between source and translation")
        src, dst = line.split("\t", 1)
        out[_unescape(src)] = _unescape(dst)
    return out


def write_tsv(path: Path, pairs: dict[str, str]) -> None:
    lines = [f"{_escape(s)}\t{_escape(t)}" for s, t in sorted(pairs.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def catalogue(lang: str = "zh_CN") -> dict[str, str]:
    """Every translation of ``lang``; a source translated in two files is an error."""
    out: dict[str, str] = {}
    where: dict[str, str] = {}
    for path in sorted((I18N / lang).glob("*.tsv")):
        for src, dst in read_tsv(path).items():
            if src in out:
                raise ValueError(f"{src!r} is translated in both {where[src]} and {path.name}")
            out[src], where[src] = dst, path.name
    return out


def missing(lang: str = "zh_CN", strings: dict[str, str] | None = None) -> list[str]:
    strings = extract() if strings is None else strings
    translations = catalogue(lang)
    return [s for s in sorted(strings) if not translations.get(s)]


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


def lrelease() -> str:
    for cand in ("lrelease", "/usr/lib/qt5/bin/lrelease", "lrelease-qt5"):
        found = shutil.which(cand) or (cand if Path(cand).exists() else None)
        if found:
            return found
    raise SystemExit("lrelease not found: install qttools5-dev-tools (scripts/bootstrap.sh does)")


def _ts_files(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    strings = extract()
    paths = []
    for lang in LANGS:
        path = out / f"grid_governance_plugin_{lang}.ts"
        write_ts(path, lang, strings, catalogue(lang))
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    cmd = argv[1] if len(argv) > 1 else "missing"
    if cmd == "missing":
        bad = [(lang, s) for lang in LANGS for s in missing(lang)]
        for lang, s in bad:
            print(f"{lang}: {_escape(s)}")
        return 1 if bad else 0
    if cmd == "stale":
        strings = extract()
        for lang in LANGS:
            for s in sorted(set(catalogue(lang)) - set(strings)):
                print(f"{lang}: {_escape(s)}")
        return 0
    if cmd == "add" and len(argv) == 5:
        path = Path(argv[2])
        pairs = read_tsv(path) if path.exists() else {}
        pairs[argv[3]] = argv[4]
        write_tsv(path, pairs)
        return 0
    if cmd == "ts":
        for path in _ts_files(Path(argv[2])):
            print(path)
        return 0
    if cmd == "compile":
        out = Path(argv[2])
        for path in _ts_files(out):
            subprocess.run([lrelease(), "-silent", str(path), "-qm", str(path.with_suffix(".qm"))], check=True)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
