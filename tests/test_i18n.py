"""Every user-visible string goes through tr() and has a zh_CN translation."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import i18n  # noqa: E402


def test_every_tr_string_has_a_chinese_translation():
    strings = i18n.extract()
    assert len(strings) > 50
    missing = i18n.missing("zh_CN", strings)
    assert missing == [], f"{len(missing)} strings without zh_CN translation, e.g. {missing[:5]}"


def test_translations_keep_their_placeholders():
    for source, target in i18n.catalogue("zh_CN").items():
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


def test_catalogue_round_trips_escapes_and_refuses_a_string_translated_twice(tmp_path, monkeypatch):
    pairs = {"Line one\nline two\twith a tab \\ and a backslash": "第一行\n第二行\t制表 \\ 反斜杠"}
    i18n.write_tsv(tmp_path / "a.tsv", pairs)
    assert i18n.read_tsv(tmp_path / "a.tsv") == pairs
    (tmp_path / "zh_CN").mkdir()
    i18n.write_tsv(tmp_path / "zh_CN" / "a.tsv", {"Save": "保存"})
    i18n.write_tsv(tmp_path / "zh_CN" / "b.tsv", {"Save": "存储"})
    monkeypatch.setattr(i18n, "I18N", tmp_path)
    try:
        i18n.catalogue("zh_CN")
    except ValueError as exc:
        assert "a.tsv" in str(exc) and "b.tsv" in str(exc)
    else:
        raise AssertionError("a string translated in two files was accepted")
