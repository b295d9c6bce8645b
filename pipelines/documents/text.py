"""Plain text documents."""

from pipelines.documents.base import Parsed, check_text_bytes, decode_utf8
from pipelines.documents.titles import guess_title


class TextLoader:
    media_type: str = "text/plain"
    suffixes: tuple[str, ...] = (".txt", ".text")

    def parse(self, data: bytes, source: str) -> Parsed:
        check_text_bytes(data, source)
        text = decode_utf8(data, source)
        return Parsed(text=text, title=guess_title(text))
