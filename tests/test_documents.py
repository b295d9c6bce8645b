"""Document loaders and input discovery, on small files written here."""

from pathlib import Path

import pytest

from pipelines.documents import discover, read_document
from pipelines.documents.titles import guess_title
from pipelines.errors import InputError


def test_text_title_skips_logo_lines_and_keeps_the_text_as_read(fixtures: Path) -> None:
    path = fixtures / "docs" / "remyelination.txt"
    doc = read_document(path)
    assert doc.title == "Remyelination After Demyelinating Injury"
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.media_type == "text/plain"
    assert doc.byte_size == path.stat().st_size
    assert doc.source == path.resolve().as_uri()
    assert len(doc.sha256) == 64


def test_markdown_title_is_the_top_heading_without_markup(fixtures: Path) -> None:
    doc = read_document(fixtures / "docs" / "notes.md")
    assert doc.title == "Mesenchymal Stem Cells and Inflammation"
    assert doc.media_type == "text/markdown"


def test_html_keeps_content_and_drops_page_chrome(fixtures: Path) -> None:
    doc = read_document(fixtures / "docs" / "article.html")
    assert doc.title == "Hematopoietic Stem Cell Transplantation in MS"
    assert "reset the immune system" in doc.text
    assert "Second point" in doc.text
    for chrome in ("tracking", "color: red", "Home", "newsletter", "Copyright"):
        assert chrome not in doc.text
    assert doc.publisher == "Example Health News"
    assert doc.authors == ("A. Writer",)


def test_guess_title_prefers_a_real_heading_over_a_short_label() -> None:
    text = "Stem Cell Research\nThe Potential of Stem Cells in Treating MS\nBody text here."
    assert guess_title(text) == "The Potential of Stem Cells in Treating MS"
    assert guess_title("A sentence that ends.\nAnother one.\n") is None


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n ", "empty file"),
        ("nul.txt", b"abc\x00def", "binary file"),
        (
            "latin1.txt",
            "caf\xe9 au lait".encode("latin-1"),
            "not UTF-8 text (byte 0xe9 at offset 3",
        ),
        ("empty.html", b"<html><body><script>x</script></body></html>", "no text content"),
    ],
)
def test_bad_files_raise_one_line_naming_file_and_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert reason in message


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000)
    with pytest.raises(InputError, match=r"file too large \(2,000 bytes; the limit is 1,000\)"):
        read_document(path, max_bytes=1000)


def test_discover_walks_folders_in_order_and_reports_what_yields_nothing(
    tmp_path: Path, fixtures: Path
) -> None:
    (tmp_path / "empty-dir").mkdir()
    (tmp_path / "data.csv").write_text("a,b\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("secret")
    items = list(
        discover(
            [fixtures / "docs", tmp_path / "missing", tmp_path / "empty-dir", tmp_path / "data.csv"]
        )
    )
    files = [i.path.name for i in items if not isinstance(i, InputError)]
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert files == ["article.html", "notes.md", "remyelination.txt"]
    assert errors[0].endswith("missing: no such file or directory")
    assert "empty-dir: directory has no readable documents" in errors[1]
    assert "data.csv: unsupported file type .csv" in errors[2]
    hidden = list(discover([tmp_path]))
    assert all(isinstance(i, InputError) for i in hidden)  # .hidden is skipped, csv unsupported
