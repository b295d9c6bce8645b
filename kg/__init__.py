"""litkg: a knowledge graph of the papers, concepts and claims in biomedical documents.

The top layer: the graph a user holds (store, query, build, validate, export) and the CLI.

    >>> import kg
    >>> with kg.open() as graph:             # an empty graph in memory
    ...     graph.stats().named_graphs
    0
"""

from kg.errors import ConfigError, ExportError, KgError, QueryError, StoreError, StoreLockedError
from kg.graph import KnowledgeGraph, build
from kg.graph import open_graph as open
from kg.report import BuildReport, ItemOutcome
from kg.results import QueryResult
from kg.store import Store, StoreStats
from kg.validate import ValidationReport, Violation

__all__ = [
    "BuildReport",
    "ConfigError",
    "ExportError",
    "ItemOutcome",
    "KgError",
    "KnowledgeGraph",
    "QueryError",
    "QueryResult",
    "Store",
    "StoreError",
    "StoreLockedError",
    "StoreStats",
    "ValidationReport",
    "Violation",
    "build",
    "open",
]
