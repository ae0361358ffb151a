"""No user-visible literal bypasses tr()/N_(): an AST check over the whole package.

test_i18n checks that every tr() string has a translation; this checks the other half: a string
literal that reaches a user (widget text, tooltip, title, table header, combo item, message bar,
Processing message or parameter, layer name, legend label, log line, task name) without going
through tr()/N_() is never translated, and no catalogue check can see it.

A literal is allowed where it is not language: placeholders, punctuation, numbers, units, file
filters, proper names (PostGIS, QGIS…), and the few entries of ALLOWED below.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "grid_governance_plugin"

ANY = None  # every positional argument
# call name -> positions of user-visible arguments (ANY: all), and user-visible keywords
VISIBLE_ARGS: dict[str, tuple[tuple[int, ...] | None, tuple[str, ...]]] = {
    # widgets
    "setText": ((0,), ()),
    "setToolTip": ((0,), ()),
    "setStatusTip": ((0,), ()),
    "setWhatsThis": ((0,), ()),
    "setWindowTitle": ((0,), ()),
    "setTitle": ((0,), ()),
    "setPlaceholderText": ((0,), ()),
    "setLabelText": ((0,), ()),
    "setPrefix": ((0,), ()),
    "setSuffix": ((0,), ()),
    "setSpecialValueText": ((0,), ()),
    "showMessage": ((0,), ()),
    "setHorizontalHeaderLabels": ((0,), ()),
    "setVerticalHeaderLabels": ((0,), ()),
    "setHeaderLabels": ((0,), ()),
    "setHeaderLabel": ((0,), ()),
    "addItem": ((0,), ()),
    "addItems": ((0,), ()),
    "insertItem": ((1, 2), ()),
    "addTab": ((1, 2), ()),
    "insertTab": ((2, 3), ()),
    "setTabText": ((1,), ()),
    "setTabToolTip": ((1,), ()),
    "setItemText": ((1,), ()),
    "addRow": ((0,), ()),
    "addMenu": ((0, 1), ()),
    "addSection": ((0, 1), ()),
    "QLabel": ((0,), ("text",)),
    "QPushButton": ((0, 1), ("text",)),
    "QToolButton": ((), ()),
    "QCheckBox": ((0,), ("text",)),
    "QRadioButton": ((0,), ("text",)),
    "QGroupBox": ((0,), ("title",)),
    "QAction": ((0, 1), ("text",)),
    "QMenu": ((0,), ("title",)),
    "QTableWidgetItem": ((0,), ()),
    "QListWidgetItem": ((0,), ()),
    "QStandardItem": ((0,), ()),
    "QTreeWidgetItem": (ANY, ()),
    "QProgressDialog": ((0, 1), ()),
    # dialogs
    "information": ((1, 2), ()),
    "warning": ((1, 2), ()),
    "critical": ((1, 2), ()),
    "question": ((1, 2), ()),
    "about": ((1, 2), ()),
    "QMessageBox": ((1, 2), ()),
    "getText": ((1, 2), ()),
    "getMultiLineText": ((1, 2), ()),
    "getItem": ((1, 2), ()),
    "getInt": ((1, 2), ()),
    "getDouble": ((1, 2), ()),
    "getOpenFileName": ((1, 3), ("caption", "filter")),
    "getOpenFileNames": ((1, 3), ("caption", "filter")),
    "getSaveFileName": ((1, 2, 3), ("caption", "directory", "filter")),
    "getExistingDirectory": ((1,), ("caption",)),
    # QGIS messages
    "pushMessage": ((0, 1), ("title", "text")),
    "pushWarning": ((0, 1), ()),
    "pushCritical": ((0, 1), ()),
    "pushSuccess": ((0, 1), ()),
    "pushInfo": ((0, 1), ()),
    "pushFormattedMessage": ((0, 1), ()),
    "reportError": ((0,), ()),
    "setProgressText": ((0,), ()),
    "logMessage": ((0,), ()),
    "QgsProcessingException": ((0,), ()),
    "QgsTask": ((0,), ("description",)),
    "setDescription": ((0,), ()),
    "fromFunction": ((0,), ()),
    # layers, legends, layouts
    "QgsVectorLayer": ((1,), ("baseName",)),
    "QgsRasterLayer": ((1,), ("baseName",)),
    "addVectorLayer": ((1,), ()),
    "addRasterLayer": ((1,), ()),
    "addGroup": ((0,), ()),
    "insertGroup": ((1,), ()),
    "QgsRendererCategory": ((2,), ("label",)),
    "QgsRendererRange": ((3,), ("label",)),
    "Rule": ((4, 5), ("label", "description")),
    "ColorRampItem": ((2,), ("lbl",)),
    "setLabel": ((0,), ()),
    "setLegendText": ((0,), ()),
    # logging to QGIS's message log (core/log.py)
    "info": ((0,), ()),
    "exception": ((0,), ()),
    "error": ((0,), ()),
    # the plugin's own user-facing exceptions
    "ToolError": ((0,), ()),
}
# a Processing parameter's or output's description is its label in the dialog
PROCESSING_PREFIXES = ("QgsProcessingParameter", "QgsProcessingOutput")
LOG_RECEIVERS = {"log", "logger", "LOG", "_log"}
# methods that take a text but are also ordinary Python: only on these receivers
AMBIGUOUS = {
    "info": LOG_RECEIVERS,
    "error": LOG_RECEIVERS,
    "exception": LOG_RECEIVERS,
    "warning": LOG_RECEIVERS | {"QMessageBox"},
    "information": {"QMessageBox"},
    "critical": {"QMessageBox"},
    "question": {"QMessageBox"},
    "about": {"QMessageBox"},
    "Rule": {"QgsRuleBasedRenderer", "QgsRuleBasedLabeling"},
    "ColorRampItem": {"QgsColorRampShader"},
}
TRANSLATORS = {"tr", "N_", "translate", "label", "choices"}

# words a Chinese screen shows as they are: proper names, formats, units
PROPER = {
    "qgis", "postgis", "postgresql", "geopackage", "gpkg", "dori", "open311", "csv", "pdf", "png", "svg",
    "json", "geojson", "xlsx", "osm", "openstreetmap", "sql", "epsg", "wgs", "cgcs", "crs", "gcj", "bd",
    "id", "url", "http", "https", "gi", "getis", "ord", "fdr", "milp", "gb", "gb/t", "html", "utf",
    "m", "km", "h", "s", "min", "px", "mm", "ha", "dpi", "kb", "mb", "pg_service", "gridgov",
}  # fmt: skip
# (file, literal) that are not language although they look like it
ALLOWED: set[tuple[str, str]] = set()


def _call_name(func: ast.AST) -> tuple[str, str]:
    """(method or class name, receiver name) of a call."""
    if isinstance(func, ast.Name):
        return func.id, ""
    if isinstance(func, ast.Attribute):
        recv = func.value
        recv_name = recv.id if isinstance(recv, ast.Name) else recv.attr if isinstance(recv, ast.Attribute) else ""
        return func.attr, recv_name
    return "", ""


# placeholders, HTML tags (also cut at an f-string's seams), entities, file patterns
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%[-+ #0]*\d*(?:\.\d+)?[sdifgerx%]|<[^<>]*(?:>|$)|^[^<>]*>|&\w+;|\*\.\w+")


def is_language(text: str) -> bool:
    """Whether a literal is words a user reads (and so must go through tr())."""
    stripped = _PLACEHOLDER.sub(" ", text)
    if re.search(r"[\u3400-\u9fff]", stripped):
        return True  # Chinese typed into the code bypasses the catalogue as well
    for word in re.findall(r"[A-Za-z][A-Za-z_/']*", stripped):
        if word.lower() not in PROPER:
            return True
    return False


def _literals(node: ast.AST, consts: dict[str, ast.AST]) -> list[ast.Constant]:
    """String constants that end up in the text of ``node``, not counting those inside tr() & co."""
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, str) else []
    if isinstance(node, ast.JoinedStr):
        return [v for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, ast.BinOp):
        return _literals(node.left, consts) + (_literals(node.right, consts) if isinstance(node.op, ast.Add) else [])
    if isinstance(node, ast.IfExp):
        return _literals(node.body, consts) + _literals(node.orelse, consts)
    if isinstance(node, ast.BoolOp):
        return [c for v in node.values for c in _literals(v, consts)]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [c for e in node.elts for c in _literals(e, consts)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        # "...".format(x) and "sep".join(...) carry their receiver's text
        if node.func.attr in ("format", "join") and isinstance(node.func.value, ast.Constant):
            return _literals(node.func.value, consts)
    if isinstance(node, ast.Name) and node.id in consts:
        return _literals(consts[node.id], consts)
    return []


def _module_constants(tree: ast.Module) -> dict[str, ast.AST]:
    """Module- and class-level NAME = <literal> assignments (ALL_CAPS names only)."""
    consts: dict[str, ast.AST] = {}
    bodies = [tree.body] + [n.body for n in tree.body if isinstance(n, ast.ClassDef)]
    for body in bodies:
        for stmt in body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for t in targets:
                    if isinstance(t, ast.Name) and t.id.isupper():
                        consts[t.id] = stmt.value
    return consts


def _defaults(fn: ast.FunctionDef) -> dict[str, ast.AST]:
    """A function's parameters with literal defaults: tr(param) translates the default too."""
    params = fn.args.posonlyargs + fn.args.args
    out = dict(zip([a.arg for a in params[len(params) - len(fn.args.defaults) :]], fn.args.defaults))
    out.update({a.arg: d for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults) if d is not None})
    return out


def _visible_args(call: ast.Call) -> list[ast.AST]:
    name, recv = _call_name(call.func)
    if name.startswith(PROCESSING_PREFIXES):
        positions, keywords = (1,), ("description",)
    elif name in VISIBLE_ARGS:
        if name in AMBIGUOUS and recv not in AMBIGUOUS[name]:
            return []
        positions, keywords = VISIBLE_ARGS[name]
        if name == "warning" and recv in LOG_RECEIVERS:
            positions = (0,)
    else:
        return []
    args = list(call.args) if positions is ANY else [call.args[i] for i in positions if i < len(call.args)]
    if name in ("QPushButton", "QAction", "addMenu", "addSection") and call.args:
        # (icon, text, parent) or (text, parent): the text is the first string-like argument
        args = call.args[1:2] if not _stringish(call.args[0]) else call.args[:1]
    if name == "addItem":
        args = call.args[1:2] if call.args and not _stringish(call.args[0]) else call.args[:1]
    return args + [k.value for k in call.keywords if k.arg in keywords]


def _stringish(node: ast.AST) -> bool:
    return isinstance(node, (ast.Constant, ast.JoinedStr, ast.BinOp)) or (
        isinstance(node, ast.Call) and _call_name(node.func)[0] in TRANSLATORS
    )


def _tr_of_constants(call: ast.Call, consts: dict[str, ast.AST], marked: set[int]) -> list[ast.Constant]:
    """tr(NAME) where NAME is a literal not marked with N_(): the extractor never sees it."""
    name, _ = _call_name(call.func)
    if name != "tr" or not call.args:
        return []
    arg = call.args[0]
    key = arg.id if isinstance(arg, ast.Name) else arg.attr if isinstance(arg, ast.Attribute) else None
    if isinstance(arg, ast.Attribute) and not arg.attr.isupper():
        key = None
    value = consts.get(key) if key else None
    if isinstance(value, ast.Constant) and isinstance(value.value, str) and id(value) not in marked:
        if key not in ("ALG_NAME", "GROUP", "HELP", "TITLE"):  # the extractor reads these
            return [value]
    return []


def find_bypasses(package: Path = PACKAGE) -> list[str]:
    problems = []
    for path in sorted(package.rglob("*.py")):
        rel = str(path.relative_to(package.parent))
        tree = ast.parse(path.read_text(encoding="utf-8"), rel)
        consts = _module_constants(tree)
        marked = {
            id(n.args[0])
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and _call_name(n.func)[0] in ("N_", "tr") and n.args
        }
        scopes = [(tree, consts)] + [
            (fn, {**consts, **_defaults(fn)}) for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef)
        ]
        for scope, names in scopes:
            for node in ast.walk(scope):
                if isinstance(node, ast.Call):
                    found = _tr_of_constants(node, names, marked) if scope is not tree else []
                    if found:
                        problems += [f"{rel}:{c.lineno}: tr({c.value!r})" for c in found if is_language(c.value)]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            found = [c for a in _visible_args(node) for c in _literals(a, consts)]
            found += _tr_of_constants(node, consts, marked)
            for c in found:
                if is_language(c.value) and (rel, c.value) not in ALLOWED:
                    call = _call_name(node.func)[0]
                    problems.append(f"{rel}:{c.lineno}: {call}({c.value!r})")
    return sorted(set(problems))


def test_no_user_visible_literal_bypasses_tr():
    problems = find_bypasses()
    assert problems == [], f"{len(problems)} user-visible literals bypass tr()/N_():\n" + "\n".join(problems)


def test_the_check_finds_each_kind_of_bypass(tmp_path):
    pkg = tmp_path / "grid_governance_plugin"
    pkg.mkdir()
    (pkg / "m.py").write_text(
        "LAYOUT_NAME = 'Grid atlas'\n"
        "OK_NAME = N_('Marked name')\n"
        "def f(w, iface, feedback, log, layer, n):\n"
        "    w.setText('Plain English')\n"
        "    w.setToolTip(tr('Fine {0}', n))\n"
        "    w.setWindowTitle(f'Count: {n}')\n"
        "    w.setSuffix(' m')\n"
        "    iface.messageBar().pushMessage('Title', tr('Body'))\n"
        "    feedback.pushInfo('applying migration %s' % n)\n"
        "    log.info('live events: %s', n)\n"
        "    raise QgsProcessingException('Bad input')\n"
        "    QgsVectorLayer('Point?crs=EPSG:4326', 'Result layer', 'memory')\n"
        "    QgsVectorLayer('Point?crs=EPSG:4326', 'CSV', 'memory')\n"
        "    w.setText(tr(LAYOUT_NAME))\n"
        "    w.setText(tr(OK_NAME))\n"
        "    w.setText('网格')\n"
        "    w.setText(str(n) + ' / ' + str(n))\n"
        "    w.addItem('Open cases', 'open')\n"
        "    w.addItem(tr('Closed'), 'closed')\n"
        "def param(name, description='Database connection', other=N_('Fine')):\n"
        "    return tr(description), tr(other)\n"
    )
    found = {p.split(": ", 1)[1] for p in find_bypasses(pkg)}
    assert found == {
        "setText('Plain English')",
        "setWindowTitle('Count: ')",
        "pushMessage('Title')",
        "pushInfo('applying migration %s')",
        "info('live events: %s')",
        "QgsProcessingException('Bad input')",
        "QgsVectorLayer('Result layer')",
        "tr('Grid atlas')",
        "setText('网格')",
        "addItem('Open cases')",
        "tr('Database connection')",
    }
