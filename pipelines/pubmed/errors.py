"""Typed errors of the PubMed parser."""

from pipelines.errors import InputError


class PubmedParseError(InputError, ValueError):
    """PubMed XML that cannot be read: malformed, truncated, not a PubMed article set, or a
    damaged gzip stream. `str()` is one line naming the input, the position when known, and
    the reason; `line` and `column` are None when the position is unknown (e.g. a gzip error).
    """

    def __init__(
        self, source: str, reason: str, line: int | None = None, column: int | None = None
    ) -> None:
        where = "" if line is None else f"line {line}, column {column or 0}: "
        super().__init__(source, where + reason)
        self.line = line
        self.column = column
        self.detail = reason
