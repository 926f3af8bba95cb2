"""A small, valid PDF made without any library: the demo e-textbooks' readable files.

Text is ASCII in a standard font (no font embedding keeps each file a few kilobytes); chapters become PDF
bookmarks, so a viewer's outline matches the reader's table of contents.
"""

from collections.abc import Sequence


def _escape(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(*, title: str, pages: int, chapters: Sequence[tuple[str, int]] = ()) -> bytes:
    """``pages`` A5 pages, each showing its number; ``chapters`` are ``(label, first page)`` bookmarks."""
    if pages < 1:
        raise ValueError("a PDF needs at least one page")
    objects: list[bytes] = []  # objects[i] is object number i + 1

    def add(body: str | bytes) -> int:
        objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objects)

    catalog = add("")  # filled in below, once the page tree and outline numbers are known
    page_tree = add("")
    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    page_ids = []
    for number in range(1, pages + 1):
        stream = (
            f"BT /F1 14 Tf 40 540 Td ({_escape(title)}) Tj ET\n"
            f"BT /F1 48 Tf 150 300 Td ({number}) Tj ET\n"
            f"BT /F1 10 Tf 40 40 Td (page {number} of {pages}) Tj ET\n"
        ).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {page_tree} 0 R /MediaBox [0 0 420 595] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
            )
        )
    objects[page_tree - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {pages} >>"
    ).encode("latin-1")

    outline_part = ""
    marks = [(label, min(max(page, 1), pages)) for label, page in chapters]
    if marks:
        outlines = add("")
        first = len(objects) + 1
        ids = list(range(first, first + len(marks)))
        for index, (label, page) in enumerate(marks):
            links = f"/Parent {outlines} 0 R"
            if index:
                links += f" /Prev {ids[index - 1]} 0 R"
            if index < len(marks) - 1:
                links += f" /Next {ids[index + 1]} 0 R"
            add(f"<< /Title ({_escape(label)}) {links} /Dest [{page_ids[page - 1]} 0 R /Fit] >>")
        objects[outlines - 1] = (
            f"<< /Type /Outlines /First {ids[0]} 0 R /Last {ids[-1]} 0 R /Count {len(ids)} >>"
        ).encode("latin-1")
        outline_part = f" /Outlines {outlines} 0 R /PageMode /UseOutlines"
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {page_tree} 0 R{outline_part} >>".encode("latin-1")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)
