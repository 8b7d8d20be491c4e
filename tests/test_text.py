from hypothesis import given
from hypothesis import strategies as st

from ocop.core.text import fold, fold_words, nfc


def test_fold_strips_vietnamese_diacritics():
    assert fold("Chợ Đồn") == "cho don"
    assert fold("  Miến   dong Tài Hoan ") == "mien dong tai hoan"
    assert fold("ĐẶC KHU Phú Quốc") == "dac khu phu quoc"
    assert fold(None) == ""


def test_fold_is_identical_for_composed_and_decomposed_input():
    composed = "Bắc Kạn"
    decomposed = "Ba\u0306\u0301c Ka\u0323n"
    assert composed != decomposed
    assert fold(composed) == fold(decomposed) == "bac kan"
    assert nfc(decomposed) == composed


def test_fold_words_drops_punctuation():
    assert fold_words("Xã Côn Minh, huyện Na Rì!") == ["xa", "con", "minh", "huyen", "na", "ri"]


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese_letters(text):
    once = fold(text)
    assert fold(once) == once
    assert "đ" not in once and "Đ" not in once
