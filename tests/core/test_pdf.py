"""PDFs are reproducible: the same HTML gives the same bytes, whenever it is written."""

import time

from ocop.core.pdf import html_to_pdf

HTML = '<html><body style="font-family: DejaVu Serif">Số xã chưa có sản phẩm OCOP: 58/108 xã ★</body></html>'


def test_the_same_html_gives_the_same_bytes_an_hour_later(monkeypatch):
    first = html_to_pdf(HTML, b"0123456789abcdef")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3600)  # the fonts' subsets are stamped with it
    assert html_to_pdf(HTML, b"0123456789abcdef") == first
    assert "SOURCE_DATE_EPOCH" not in __import__("os").environ


def test_nothing_is_fetched(monkeypatch):
    asked = []

    def refuse(url, *args, **kwargs):
        asked.append(url)
        raise ValueError("refused")

    monkeypatch.setattr("ocop.core.pdf.refuse", refuse)
    pdf = html_to_pdf('<img src="https://example.invalid/logo.png"><p>Giấy chứng nhận</p>')
    assert pdf.startswith(b"%PDF-")
    assert asked == ["https://example.invalid/logo.png"]  # our refusal answered, not the network
