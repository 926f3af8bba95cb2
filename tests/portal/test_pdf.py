"""PDFs are rendered with Chinese glyphs and never fetch anything outside the project."""

import io

import pytest
from pypdf import PdfReader

from smartedu.portal.pdf import render_pdf


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_chinese_text_is_embedded_and_extractable():
    pdf = render_pdf("pdf/test_probe.html", {"title": "结业证书", "body": "勾股定理", "image": ""})
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "结业证书" in text
    assert "勾股定理" in text


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.com/a.png"])
def test_foreign_resources_are_refused(url, caplog):
    pdf = render_pdf("pdf/test_probe.html", {"title": "t", "body": "b", "image": url})
    assert pdf.startswith(b"%PDF-")
    assert "refused to fetch" in caplog.text
