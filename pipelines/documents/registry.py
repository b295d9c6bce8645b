"""The loaders litkg knows, by file suffix."""

from pipelines.documents.base import Loader
from pipelines.documents.html import HtmlLoader
from pipelines.documents.markdown import MarkdownLoader
from pipelines.documents.text import TextLoader

_TEXT: Loader = TextLoader()
_MARKDOWN: Loader = MarkdownLoader()
_HTML: Loader = HtmlLoader()
LOADERS: tuple[Loader, ...] = (_TEXT, _MARKDOWN, _HTML)

BY_SUFFIX: dict[str, Loader] = {s: loader for loader in LOADERS for s in loader.suffixes}
