"""The Vietnamese catalogue is complete, keeps every placeholder, and is what Django serves.

No database is needed: these tests only read the .po/.mo files and use Django's gettext.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "ocop" / "locale"
VI_DIR = LOCALE_DIR / "vi" / "LC_MESSAGES"
VI_PO_FILES = sorted(VI_DIR.glob("*.po"))
SETUP_HINT = "run `make setup` to compile translations"

# printf-style placeholders: %(name)s, %s, %d, %.2f …; "%%" is a literal percent sign.
PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[sdifeEgGxXoruc%]")
# str.format-style placeholders: {name}, {0}, {name!r:>10}; "{{" and "}}" are literal braces.
BRACE = re.compile(r"(?<!\{)\{[A-Za-z0-9_.\[\]]*(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def _placeholders(text: str, flags: list[str]) -> Counter:
    found = Counter(m for m in PRINTF.findall(text) if m != "%%")
    if "python-brace-format" in flags:
        found.update(BRACE.findall(text))
    return found


def _label(po_path: Path, entry: polib.POEntry) -> str:
    return f"{po_path.name}:{entry.linenum}: {entry.msgid!r}"


def _catalogues():
    return [pytest.param(path, id=path.name) for path in VI_PO_FILES]


def test_vietnamese_catalogues_exist():
    assert VI_PO_FILES, f"no .po file in {VI_DIR}; run `ocop makemessages -l vi`"
    assert LOCALE_DIR in [Path(p) for p in settings.LOCALE_PATHS]


@pytest.mark.parametrize("po_path", _catalogues())
def test_header(po_path):
    po = polib.pofile(str(po_path))
    assert not po.metadata_is_fuzzy, f"{po_path.name}: the header is marked fuzzy"
    assert po.metadata.get("Language") == "vi"
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    plural_forms = po.metadata.get("Plural-Forms", "").replace(" ", "")
    assert plural_forms.startswith("nplurals=1;plural=0"), f"{po_path.name}: Plural-Forms is {plural_forms!r}"


@pytest.mark.parametrize("po_path", _catalogues())
def test_every_entry_translated(po_path):
    po = polib.pofile(str(po_path))
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {_label(po_path, entry)}")
        elif entry.msgid_plural:
            forms = entry.msgstr_plural
            if sorted(forms) != [0] or not forms[0].strip():
                problems.append(f"plural needs exactly msgstr[0] (nplurals=1): {_label(po_path, entry)}")
        elif not entry.msgstr.strip():
            problems.append(f"untranslated: {_label(po_path, entry)}")
    assert not problems, f"{len(problems)} problem(s) in {po_path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("po_path", _catalogues())
def test_placeholders_kept(po_path):
    po = polib.pofile(str(po_path))
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        # With one plural form, msgstr[0] stands for every count: compare it with the plural msgid.
        source = entry.msgid_plural or entry.msgid
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = _placeholders(source, entry.flags)
        if entry.msgid_plural:
            expected |= _placeholders(entry.msgid, entry.flags)
        for target in targets:
            if not target:
                continue  # reported by test_every_entry_translated
            got = _placeholders(target, entry.flags)
            named = any("(" in p or "{" in p for p in expected)
            # Named placeholders may move; positional ones must keep their order.
            same = got == expected if named else PRINTF.findall(target) == PRINTF.findall(source)
            if not same:
                problems.append(
                    f"{_label(po_path, entry)}: expects {sorted(expected.elements())}, "
                    f"msgstr has {sorted(got.elements())}"
                )
    assert not problems, f"{len(problems)} placeholder mismatch(es) in {po_path.name}:\n" + "\n".join(
        problems
    )


@pytest.fixture
def compiled_vi():
    """The Vietnamese .mo files exist and match their .po (`make setup` builds them)."""
    for po_path in VI_PO_FILES:
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{mo_path} is missing: {SETUP_HINT}"
        compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(mo_path))}
        stale = [
            entry.msgid
            for entry in polib.pofile(str(po_path)).translated_entries()
            if (entry.msgctxt, entry.msgid) not in compiled
            or (compiled[(entry.msgctxt, entry.msgid)].msgstr or None) != (entry.msgstr or None)
        ]
        assert not stale, f"{mo_path.name} is out of date ({len(stale)} entries differ): {SETUP_HINT}"
    translation.trans_real._translations.clear()  # forget catalogues loaded before this check
    yield
    translation.trans_real._translations.clear()


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("Sign in", "Đăng nhập"),
        ("Sign out", "Đăng xuất"),
        ("Province", "Tỉnh"),
        ("Special zone", "Đặc khu"),
        ("Before 01/07/2025 (63 provinces)", "Trước 01/07/2025 (63 tỉnh, thành)"),
        ("Audit trail", "Nhật ký hệ thống"),
    ],
)
def test_django_serves_vietnamese(compiled_vi, msgid, expected):
    with translation.override("vi"):
        assert translation.gettext(msgid) == expected, SETUP_HINT
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_django_vietnamese_plural_and_placeholders(compiled_vi):
    with translation.override("vi"):
        for n in (1, 2, 5):
            text = translation.ngettext("%(counter)s row", "%(counter)s rows", n) % {"counter": n}
            assert text == f"{n} dòng"
        assert translation.gettext("Hello %(name)s,") % {"name": "Lan"} == "Xin chào Lan,"
