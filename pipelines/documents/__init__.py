"""Document loaders, one module per format behind one interface, and input discovery."""

from pipelines.documents.base import Loader, Parsed
from pipelines.documents.discover import SourceFile, discover, supported_suffixes
from pipelines.documents.html import HtmlLoader
from pipelines.documents.markdown import MarkdownLoader
from pipelines.documents.read import DEFAULT_MAX_BYTES, loader_for, read_document
from pipelines.documents.text import TextLoader

__all__ = [
    "DEFAULT_MAX_BYTES",
    "HtmlLoader",
    "Loader",
    "MarkdownLoader",
    "Parsed",
    "SourceFile",
    "TextLoader",
    "discover",
    "loader_for",
    "read_document",
    "supported_suffixes",
]
