"""Typed errors of the kg layer. The CLI prints `str(error)` as one line and exits non-zero."""


class KgError(Exception):
    """Base of every error litkg raises on purpose."""


class ConfigError(KgError):
    """A setting is missing or invalid."""


class StoreError(KgError):
    """The store cannot be created, opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the store open for writing."""


class QueryError(KgError):
    """A SPARQL query is invalid or failed."""


class QueryTimeout(QueryError):
    """A query ran past its time limit."""


class ExportError(KgError):
    """An export could not be written."""
