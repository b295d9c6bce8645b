"""Reading one file into a Document through the loader for its type."""

from pathlib import Path

from pipelines.documents.base import Loader, to_document
from pipelines.documents.registry import BY_SUFFIX
from pipelines.errors import InputError
from pipelines.records import Document

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def loader_for(path: Path) -> Loader:
    loader = BY_SUFFIX.get(path.suffix.lower())
    if loader is None:
        raise InputError(str(path), f"unsupported file type {path.suffix or '(none)'}")
    return loader


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read `path` into a Document; raise InputError with the reason if it cannot be used."""
    shown = str(path)
    loader = loader_for(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(shown, f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
        data = path.read_bytes()
    except PermissionError:
        raise InputError(shown, "permission denied") from None
    except FileNotFoundError:
        raise InputError(shown, "no such file or directory") from None
    except IsADirectoryError:
        raise InputError(shown, "is a directory") from None
    except OSError as exc:
        raise InputError(shown, f"cannot be read ({exc.strerror or exc})") from None
    parsed = loader.parse(data, shown)
    return to_document(parsed, data, shown, path.resolve().as_uri(), loader.media_type)
