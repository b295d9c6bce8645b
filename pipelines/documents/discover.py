"""Turning the paths a user gives into the files to read, with a reason for each one refused."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipelines.documents.registry import BY_SUFFIX
from pipelines.errors import InputError


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to read, and the input (as the user gave it) that led to it."""

    path: Path
    given: str


def supported_suffixes() -> tuple[str, ...]:
    return tuple(sorted(BY_SUFFIX))


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _walk_dir(root: Path, given: str) -> Iterator[SourceFile | InputError]:
    found = False
    for path in sorted(root.rglob("*")):
        if path.is_file() and not _hidden(path, root) and path.suffix.lower() in BY_SUFFIX:
            found = True
            yield SourceFile(path, given)
    if not found:
        kinds = ", ".join(supported_suffixes())
        yield InputError(given, f"directory has no readable documents (looked for {kinds})")


def discover(inputs: Iterable[str | Path]) -> Iterator[SourceFile | InputError]:
    """Files to read, in a stable order, and an InputError for each input that yields none."""
    for item in inputs:
        given = str(item)
        path = Path(item)
        if not path.exists():
            yield InputError(given, "no such file or directory")
        elif path.is_dir():
            yield from _walk_dir(path, given)
        elif not path.is_file():
            yield InputError(given, "not a regular file")
        elif path.suffix.lower() not in BY_SUFFIX:
            kinds = ", ".join(supported_suffixes())
            shown = path.suffix or "(none)"
            yield InputError(given, f"unsupported file type {shown} (supported: {kinds})")
        else:
            yield SourceFile(path, given)
