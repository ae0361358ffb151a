"""Every user-visible string goes through tr() and has a zh_CN translation."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import i18n  # noqa: E402

TS = ROOT / "i18n" / "grid_governance_plugin_zh_CN.ts"


def test_every_tr_string_has_a_chinese_translation():
    strings = i18n.extract()
    assert len(strings) > 50
    missing = i18n.missing(TS, strings)
    assert missing == [], f"{len(missing)} strings without zh_CN translation, e.g. {missing[:5]}"


def test_translations_keep_their_placeholders():
    _, translations = i18n.read_ts(TS)
    for source, target in translations.items():
        if target:
            assert sorted(re.findall(r"\{\d\}", source)) == sorted(re.findall(r"\{\d\}", target)), source


def test_extractor_finds_tr_calls_and_class_attributes(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "m.py").write_text(
        "from x import tr\n"
        "class A:\n    ALG_NAME = 'Alg name'\n    def f(self):\n        return self.tr('Method string')\n"
        "print(tr('Plain {0}', 1), N_('Marked'), other('not me'))\n"
    )
    found = i18n.extract(pkg)
    assert set(found) == {"Alg name", "Method string", "Plain {0}", "Marked"}
