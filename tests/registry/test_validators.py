import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ocop.registry.validators import name_key, normalize_tax_code, tax_code_checksum_ok, validate_tax_code


@pytest.mark.parametrize("code", ["0100109106", "0300588569", "0101248141"])  # Viettel, Vinamilk, FPT
def test_real_enterprise_tax_codes_pass(code):
    assert validate_tax_code(code) == code


def test_branch_and_personal_codes():
    assert validate_tax_code("0100109106-001") == "0100109106-001"
    assert validate_tax_code("001 085 012 345") == "001085012345"  # a 12-digit personal ID


@pytest.mark.parametrize("code", ["0100109107", "12345", "0100109106-01", "abc", "01001091060"])
def test_bad_tax_codes_are_refused_with_a_reason(code):
    with pytest.raises(ValidationError) as exc:
        validate_tax_code(code)
    assert exc.value.messages[0]


@given(st.from_regex(r"\A\d{9}\Z"))
def test_exactly_one_check_digit_or_none_fits(nine):
    fitting = [d for d in range(10) if tax_code_checksum_ok(f"{nine}{d}")]
    assert len(fitting) <= 1


def test_normalize_keeps_digits_and_branch_dash():
    assert normalize_tax_code(" 0100.109.106 - 001 ") == "0100109106-001"


def test_name_key_treats_abbreviations_and_diacritics_alike():
    assert name_key("Hợp tác xã  Tài Hoan") == name_key("HTX Tài hoan") == "htx tai hoan"
    assert name_key("Công ty TNHH Hà Diệp") == name_key("Cty trách nhiệm hữu hạn Hà Diệp")
    assert name_key("HTX Tài Hoan") != name_key("HTX Tân Dân")
