"""Score sheets as files: JSON and XLSX round trips of every shipped sheet, malformed files refused
with the row, column or difference named and nothing written, per-star minimum criteria checked."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from ocop.evaluation import sheet_io
from ocop.evaluation.loader import DATA
from ocop.evaluation.models import Criterion, RuleVersion, ScoreSheet
from ocop.evaluation.sheets import check_sheet, checksum, export_sheet, import_sheet, normalise

pytestmark = pytest.mark.django_db


def rule(code="26-2026"):
    return RuleVersion.objects.get(code=code)


def shipped(number=1):
    return copy.deepcopy(
        json.loads((DATA / "26-2026-bo-tieu-chi.json").read_text(encoding="utf-8"))[number - 1]
    )


def current(code="rau-cu-qua-hat-tuoi", rule_code="26-2026"):
    return (
        ScoreSheet.objects.select_related("rule_version", "product_set")
        .filter(rule_version__code=rule_code, code=code, superseded_by__isnull=True)
        .get()
    )


def all_sheets():
    return list(
        ScoreSheet.objects.select_related("rule_version", "product_set").filter(superseded_by__isnull=True)
    )


def workbook(sheet=None, tree=None):
    data = sheet_io.build_xlsx(sheet) if sheet is not None else sheet_io.workbook_from_tree(tree)
    return load_workbook(io.BytesIO(data))


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def messages(upload_or_prepared) -> list[str]:
    problems = getattr(upload_or_prepared, "file_problems", None)
    if problems is None:
        problems = upload_or_prepared.problems
    return [str(p) for p in problems]


def row_of(ws, code, column=2):
    for row in ws.iter_rows(min_row=2):
        if row[column - 1].value == code:
            return row[0].row
    raise AssertionError(code)


# --- JSON ------------------------------------------------------------------------------------------


def test_export_has_the_shape_of_the_shipped_file():
    tree = export_sheet(current())
    data = shipped(1)
    assert set(tree) == set(data) | {"name", "rule_version", "product_set", "star_minimums"}
    assert tree["rule_version"] == "26-2026" and tree["product_set"] == "1"
    section, raw = tree["sections"][0], data["sections"][0]
    assert set(section) == set(raw)
    node, raw_node = section["criteria"][0]["children"][0], raw["criteria"][0]["children"][0]
    assert set(node) == set(raw_node)
    assert node == {
        **raw_node,
        "options": [{"label": o["label"], "points": o["points"]} for o in raw_node["options"]],
    }
    assert isinstance(node["options"][0]["points"], float) and node["requirement_note"].startswith("Yêu cầu")
    # the stored content is the shipped file's content (with the minimums the loader adds, if any)
    data["star_minimums"] = current().star_minimums
    assert checksum(data) == checksum(tree) == current().checksum


def test_json_export_then_import_returns_the_same_sheet_for_every_shipped_sheet():
    before = ScoreSheet.objects.count()
    for sheet in all_sheets():
        again = import_sheet(
            sheet.rule_version,
            export_sheet(sheet),
            name=sheet.name,
            product_set=sheet.product_set,
            allow_discrepancy=bool(sheet.discrepancies),
        )
        assert again.pk == sheet.pk, sheet.code
    assert ScoreSheet.objects.count() == before


def test_a_sheet_stored_before_the_normal_form_is_still_recognised():
    sheet = current()
    ScoreSheet.objects.filter(pk=sheet.pk).update(checksum="0" * 64)  # an older kind of checksum
    data = {**shipped(1), "star_minimums": sheet.star_minimums}
    assert import_sheet(sheet.rule_version, data, name=sheet.name).pk == sheet.pk


def test_json_upload_of_an_unchanged_sheet_changes_nothing():
    sheet = current()
    content = json.dumps(export_sheet(sheet), ensure_ascii=False).encode()
    prepared = sheet_io.prepare(sheet.rule_version, content)
    assert prepared.upload.format == "json" and prepared.problems == []
    assert prepared.unchanged and prepared.diff == [] and prepared.blocked()
    with pytest.raises(ValidationError):
        sheet_io.publish(prepared, None)


@pytest.mark.parametrize(
    ("content", "code", "expected"),
    [
        (b"", "empty", ""),
        (b'{"code": "x", "sections": [', "invalid_json", " 1"),
        (b'[{"code": "a"}, {"code": "b"}]', "list", " 2 "),
        (b"\xff\xfe\x00garbage", "not_sheet_file", ""),
        (b"plain text, not a sheet", "not_sheet_file", ""),
        (b'{"code": "x", "sections": [{"code": "A", "max_score": NaN}]}', "invalid_json", "NaN"),
        (b"x" * (sheet_io.MAX_BYTES + 1), "too_large", ""),
    ],
)
def test_unreadable_json_files_are_refused(content, code, expected):
    before = ScoreSheet.objects.count()
    upload = sheet_io.read_upload(content)
    assert upload.fatal and upload.data is None
    assert [p.code for p in upload.problems] == [code]
    assert expected in f" {upload.problems[0]} "
    prepared = sheet_io.prepare(rule(), content)
    with pytest.raises(ValidationError):
        sheet_io.publish(prepared, None)
    assert ScoreSheet.objects.count() == before


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["sections"][0]["criteria"][0]["children"][0]["options"][0].update(points="abc"), "abc"),
        (
            lambda d: d["sections"][0]["criteria"][0]["children"][0]["options"][0].update(points=1.255),
            "1.255",
        ),
        (lambda d: d["sections"][0]["criteria"][0]["children"][0].update(label=""), "A 1.1"),
        (lambda d: d["sections"][0]["criteria"][0].update(children="1.1"), "A 1"),
        (lambda d: d["sections"][0]["criteria"][0]["children"][1].update(code="1.1"), "A 1.1"),
        (lambda d: d["sections"][0]["criteria"][0]["children"][1].update(code="2.7"), "2.7"),
        (lambda d: d.update(rule_version="1048-2019"), "1048-2019"),
        (lambda d: d.update(sections="A"), ""),
        (lambda d: d.update(code="có dấu cách"), "có dấu cách"),
        (
            lambda d: d["sections"][0]["criteria"][0].update(label="TỔ CHỨC\x07"),
            "A 1",
        ),  # not storable in XLSX
    ],
)
def test_malformed_json_sheets_are_refused_with_the_place_named(mutate, expected):
    data = shipped(1)
    mutate(data)
    before = ScoreSheet.objects.count()
    prepared = sheet_io.prepare(rule(), json.dumps(data, ensure_ascii=False).encode())
    assert prepared.blocked()
    assert any(expected in m for m in prepared.problems), prepared.problems
    with pytest.raises(ValidationError):
        sheet_io.publish(prepared, None)
    with pytest.raises(ValidationError):
        import_sheet(rule(), data, name="x")
    assert ScoreSheet.objects.count() == before


def test_a_part_that_does_not_add_up_is_refused_with_the_difference():
    data = shipped(1)
    data["sections"][1]["criteria"][0]["children"][0]["options"][-1]["points"] += 2
    prepared = sheet_io.prepare(rule(), json.dumps(data).encode())
    assert prepared.problems == [] and prepared.blocked(allow_discrepancy=True)  # 26/2026 is in force
    assert any("27" in d and "25" in d for d in prepared.discrepancies), prepared.discrepancies
    with pytest.raises(ValidationError):
        sheet_io.publish(prepared, None, allow_discrepancy=True)


def test_unknown_keys_are_noted_not_stored():
    data = shipped(4)  # set 4 has an option with a transcription "note"
    check = check_sheet(rule(), data)
    assert check.problems == [] and len(check.ignored) == 1 and "note" in check.ignored[0]


# --- XLSX ------------------------------------------------------------------------------------------


def test_xlsx_round_trip_gives_the_identical_tree_for_every_shipped_sheet():
    sheets = all_sheets()
    assert len(sheets) == 27
    before = ScoreSheet.objects.count()
    for sheet in sheets:
        content = sheet_io.build_xlsx(sheet)
        upload = sheet_io.read_upload(content)
        assert upload.problems == [], (sheet.code, messages(upload))
        assert upload.format == "xlsx"
        assert upload.data == export_sheet(sheet), sheet.code
        prepared = sheet_io.prepare(sheet.rule_version, content)
        assert prepared.unchanged and prepared.diff == [], sheet.code
        again = import_sheet(
            sheet.rule_version,
            upload.data,
            name=upload.data["name"],
            product_set=sheet.product_set,
            allow_discrepancy=bool(sheet.discrepancies),
        )
        assert again.pk == sheet.pk
    assert ScoreSheet.objects.count() == before


def test_the_workbook_reads_like_the_official_sheet():
    book = workbook(current())
    assert book.sheetnames == ["Thông tin", "Tiêu chí", "Hồ sơ bị loại khi", "Tối thiểu theo hạng sao"]
    ws = book["Tiêu chí"]
    assert [c.value for c in ws[1]] == [
        "Phần",
        "Mã tiêu chí",
        "Tiêu chí",
        "Điểm tối đa",
        "Yêu cầu",
        "Phương án",
        "Điểm",
    ]
    assert [c.value for c in ws[2]][:4] == ["A", "1", "TỔ CHỨC SẢN XUẤT", 18]
    assert [c.value for c in ws[3]][1:3] == ["1.1", "Nguồn gốc sản phẩm"]
    assert ws[3][6].value == 1 and ws[4][1].value == "1.1" and ws[4][2].value is None  # one row per option
    info = {r[0].value: r[1].value for r in book["Thông tin"].iter_rows(min_row=2, max_row=8)}
    assert info["Mã phiếu"] == "rau-cu-qua-hat-tuoi" and info["Mã bộ tiêu chí"] == "26-2026"
    assert info["Văn bản"] == "26/2026/QĐ-TTg"
    assert book["Hồ sơ bị loại khi"]["B2"].value.startswith("Hồ sơ bị loại khi")


def test_an_official_corrects_a_point_in_excel_and_a_new_version_follows():
    sheet = current()
    book = workbook(sheet)
    ws = book["Tiêu chí"]
    row = row_of(ws, "1.3")
    ws.cell(row, 6).value = ws.cell(row, 6).value + " (đã sửa)"
    prepared = sheet_io.prepare(sheet.rule_version, save(book))
    assert prepared.problems == [] and not prepared.unchanged and not prepared.blocked()
    assert [(c["kind"], c["where"]) for c in prepared.diff] == [("changed", "A 1.3")]
    new = sheet_io.publish(prepared, None, note="sửa chính tả")
    sheet.refresh_from_db()
    assert (new.version, sheet.superseded_by) == (sheet.version + 1, new)
    assert new.product_set == sheet.product_set and new.name == sheet.name and new.note == "sửa chính tả"
    assert Criterion.objects.filter(sheet=new).count() == Criterion.objects.filter(sheet=sheet).count()


def test_codes_typed_as_numbers_and_comma_decimals_are_read():
    book = workbook(current())
    ws = book["Tiêu chí"]
    row = row_of(ws, "1.1")
    ws.cell(row, 2).value = 1.1  # Excel turns a typed 1.1 into a number
    ws.cell(row, 7).value = "1,0"  # Vietnamese decimal comma
    upload = sheet_io.read_upload(save(book))
    assert upload.problems == []
    assert upload.data == export_sheet(current())


def test_continuation_rows_may_leave_the_number_empty():
    book = workbook(current())
    ws = book["Tiêu chí"]
    row = row_of(ws, "1.1")
    ws.cell(row + 1, 1).value = None
    ws.cell(row + 1, 2).value = None
    upload = sheet_io.read_upload(save(book))
    assert upload.problems == [] and upload.data == export_sheet(current())


def _broken(change):
    book = workbook(current())
    expected = change(book)
    return save(book) if not isinstance(book, bytes) else book, expected


def _delete_sheet(book):
    del book["Hồ sơ bị loại khi"]
    return ("Hồ sơ bị loại khi", None, "", "missing_sheet")


def _bad_number(book):
    ws = book["Tiêu chí"]
    row = row_of(ws, "1.2")
    ws.cell(row, 7).value = "hai"
    return ("Tiêu chí", row, "Điểm", "bad_number")


def _bad_max(book):
    ws = book["Tiêu chí"]
    row = row_of(ws, "1.2")
    ws.cell(row, 4).value = "2 điểm"
    return ("Tiêu chí", row, "Điểm tối đa", "bad_number")


def _unknown_part(book):
    ws = book["Tiêu chí"]
    row = row_of(ws, "1.2")
    ws.cell(row, 1).value = "D"
    return ("Tiêu chí", row, "Phần", "unknown_part")


def _no_options(book):
    ws = book["Tiêu chí"]
    row = row_of(ws, "1.2")
    while ws.cell(row + 1, 2).value == "1.2":
        ws.delete_rows(row + 1)
    ws.cell(row, 6).value = None
    ws.cell(row, 7).value = None
    return ("Tiêu chí", row, "Phương án", "no_options")


def _duplicate(book):
    ws = book["Tiêu chí"]
    row = row_of(ws, "1.3")
    for col in range(1, 8):
        ws.cell(row, col).value = ws.cell(row_of(ws, "1.1"), col).value
    ws.cell(row, 2).value = "1.1"
    return ("Tiêu chí", row, "Mã tiêu chí", "duplicate")


def _merged(book):
    ws = book["Tiêu chí"]
    row = row_of(ws, "1.1")
    ws.merge_cells(start_row=row, start_column=3, end_row=row + 2, end_column=3)
    return ("Tiêu chí", row, "", "merged")


def _formula(book):
    ws = book["Tiêu chí"]
    row = row_of(ws, "1")
    ws.cell(row, 4).value = "=SUM(D3:D10)"
    return ("Tiêu chí", row, "D", "formula")


def _missing_column(book):
    book["Tiêu chí"].cell(1, 5).value = "Ghi chú"
    return ("Tiêu chí", 1, "Yêu cầu", "missing_column")


def _date_code(book):
    import datetime as dt

    ws = book["Tiêu chí"]
    row = row_of(ws, "1.2")
    ws.cell(row, 2).value = dt.datetime(2026, 2, 1)
    return ("Tiêu chí", row, "Mã tiêu chí", "date_code")


def _bad_stars(book):
    ws = book["Tối thiểu theo hạng sao"]
    row = ws.max_row + 1
    for col, value in enumerate(["ba", "1.2", 1], start=1):
        ws.cell(row, col).value = value
    return ("Tối thiểu theo hạng sao", row, "Hạng sao", "bad_number")


@pytest.mark.parametrize(
    "change",
    [
        _delete_sheet,
        _bad_number,
        _bad_max,
        _unknown_part,
        _no_options,
        _duplicate,
        _merged,
        _formula,
        _missing_column,
        _date_code,
        _bad_stars,
    ],
)
def test_malformed_workbooks_are_refused_naming_sheet_row_and_column(change):
    content, (sheet, row, column, code) = _broken(change)
    before = ScoreSheet.objects.count()
    upload = sheet_io.read_upload(content)
    assert upload.data is None
    found = [p for p in upload.problems if p.code == code]
    assert found, [p.as_dict() for p in upload.problems]
    problem = found[0]
    assert (problem.sheet, problem.row, problem.column) == (sheet, row, column)
    text = str(problem)
    assert sheet in text and (row is None or str(row) in text) and column in text
    prepared = sheet_io.prepare(rule(), content)
    assert prepared.blocked()
    with pytest.raises(ValidationError):
        sheet_io.publish(prepared, None)
    assert ScoreSheet.objects.count() == before


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _blank_workbook() -> bytes:
    from openpyxl import Workbook

    return save(Workbook())


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (_blank_workbook(), "empty"),
        (b"PK\x03\x04 broken archive", "damaged"),
        (_zip({"word/document.xml": b"<w/>"}), "not_xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "xls"),
        (_zip({"xl/workbook.xml": b"<notxml"}), "damaged"),
        (
            _zip({"xl/workbook.xml": b"", "xl/big.bin": b"\x00" * (sheet_io.MAX_UNPACKED_BYTES + 1)}),
            "too_large",
        ),
    ],
    ids=["empty", "blank-workbook", "damaged", "docx", "xls", "bad-xml", "zip-bomb"],
)
def test_files_that_are_not_workbooks_are_refused(content, code):
    before = ScoreSheet.objects.count()
    upload = sheet_io.read_upload(content)
    assert upload.data is None and upload.fatal
    assert [p.code for p in upload.problems] == [code], [str(p) for p in upload.problems]
    assert ScoreSheet.objects.count() == before


def test_a_workbook_with_too_many_rows_is_refused():
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Thông tin"
    ws = book.create_sheet("Tiêu chí")
    for i in range(sheet_io.MAX_ROWS + 2):
        ws.cell(i + 1, 1).value = "A"
    book.create_sheet("Hồ sơ bị loại khi")
    book.create_sheet("Tối thiểu theo hạng sao")
    upload = sheet_io.read_upload(save(book))
    assert [p.code for p in upload.problems] == ["too_large"]


# --- Per-star minimum criteria ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minimum", "expected"),
    [
        ({"stars": 3, "criterion": "9.9", "min_points": 1}, "9.9"),
        ({"stars": 6, "criterion": "1.2", "min_points": 1}, " 6 "),
        ({"stars": 3, "criterion": "1.2", "min_points": -1}, "1"),
        ({"stars": 3, "criterion": "1.2", "min_points": 3}, " 3 "),  # 1.2 reaches 2
        ({"stars": 3, "criterion": "1", "min_points": 19}, "18"),  # a group reaches 18
        ({"stars": "ba", "criterion": "1.2", "min_points": 1}, ""),
        ({"stars": 3, "criterion": "1.2", "min_points": "một"}, "một"),
    ],
)
def test_star_minimums_are_checked(minimum, expected):
    data = shipped(1)
    data["star_minimums"] = [minimum]
    before = ScoreSheet.objects.count()
    check = check_sheet(rule(), data)
    assert check.problems, minimum
    assert any(expected in f" {p} " for p in check.problems), check.problems
    with pytest.raises(ValidationError):
        import_sheet(rule(), data, name="x")
    assert ScoreSheet.objects.count() == before


def test_a_repeated_minimum_is_refused():
    data = shipped(1)
    data["star_minimums"] = [{"stars": 3, "criterion": "1.2", "min_points": 1}] * 2
    assert any("1.2" in p for p in check_sheet(rule(), data).problems)


def test_a_minimum_on_a_number_used_in_several_parts_is_refused():
    from ocop.evaluation.loader import sheet_1048_fresh_produce

    data = sheet_1048_fresh_produce()
    data["star_minimums"] = [{"stars": 3, "criterion": "1.1", "min_points": 1}]
    problems = check_sheet(rule("1048-2019"), data).problems
    assert any("1.1" in p and "A, B, C" in p for p in problems), problems


def test_star_minimums_are_stored_exported_and_survive_the_workbook():
    sheet = current()
    data = export_sheet(sheet)
    data["star_minimums"] = [
        {"stars": 3, "criterion": "1.2", "min_points": 1},
        {"stars": 4, "criterion": "1", "min_points": 12.5},
    ]
    new = import_sheet(sheet.rule_version, data, name=sheet.name, product_set=sheet.product_set)
    assert new.version == sheet.version + 1
    assert new.star_minimums == [
        {"stars": 3, "criterion": "1.2", "min_points": 1.0},
        {"stars": 4, "criterion": "1", "min_points": 12.5},
    ]
    assert export_sheet(new)["star_minimums"] == new.star_minimums
    content = sheet_io.build_xlsx(new)
    ws = workbook(new)["Tối thiểu theo hạng sao"]
    assert [c.value for c in ws[2]] == [3, "1.2", 1, "Vùng nguyên liệu được cấp chứng nhận chất lượng"]
    upload = sheet_io.read_upload(content)
    assert upload.problems == [] and upload.data == export_sheet(new)
    assert sheet_io.prepare(new.rule_version, content).unchanged
    # removing them is a change too: the diff names it
    data["star_minimums"] = []
    prepared = sheet_io.prepare(new.rule_version, json.dumps(data).encode())
    assert {c["kind"] for c in prepared.diff} == {"removed"} and len(prepared.diff) == 2


# --- The 1048 sheet ---------------------------------------------------------------------------------


def test_the_1048_sheet_keeps_its_discrepancy_through_the_files():
    sheet = current(rule_code="1048-2019")
    content = sheet_io.build_xlsx(sheet)
    prepared = sheet_io.prepare(sheet.rule_version, content)
    assert prepared.problems == [] and prepared.unchanged
    assert any("36" in d and "35" in d for d in prepared.discrepancies)
    assert prepared.may_record_discrepancies  # 1048 is no longer in force
    # criteria without a declared maximum are stored with the attainable one
    assert {c.max_score for c in Criterion.objects.filter(sheet=sheet, code="1", part__code="A")} == {
        Decimal(18)
    }


def test_a_correction_of_the_1048_sheet_may_record_its_discrepancy():
    sheet = current(rule_code="1048-2019")
    data = export_sheet(sheet)
    data["sections"][1]["label"] = data["sections"][1]["label"] + " "  # only whitespace: unchanged
    assert sheet_io.prepare(sheet.rule_version, json.dumps(data).encode()).unchanged
    data["sections"][1]["label"] = "Phần B: KHẢ NĂNG TIẾP THỊ"
    prepared = sheet_io.prepare(sheet.rule_version, json.dumps(data).encode())
    assert prepared.blocked() and not prepared.blocked(allow_discrepancy=True)
    new = sheet_io.publish(prepared, None, allow_discrepancy=True, note="tiêu đề phần B")
    assert new.version == sheet.version + 1 and new.discrepancies == sheet.discrepancies
    assert normalise(export_sheet(new))["sections"][1]["label"] == "Phần B: KHẢ NĂNG TIẾP THỊ"


def test_a_new_sheet_needs_a_name():
    data = shipped(1)
    data["code"] = "bo-moi"
    prepared = sheet_io.prepare(rule(), json.dumps(data).encode())
    assert prepared.current is None and len(prepared.problems) == 1 and prepared.blocked()
    data["name"] = "Bộ mới"
    data["product_set"] = "99"
    prepared = sheet_io.prepare(rule(), json.dumps(data).encode())
    assert any("99" in p for p in prepared.problems)
    data["product_set"] = "2"
    prepared = sheet_io.prepare(rule(), json.dumps(data).encode())
    assert prepared.problems == [] and prepared.product_set.code == "2"
    new = sheet_io.publish(prepared, None)
    assert (new.version, new.name, new.code) == (1, "Bộ mới", "bo-moi")
