"""The compiled matcher, pickled on disk and keyed by everything it was built from.

The key hashes the matcher version, each source's name and version, the crosswalk files'
digest and the blocklist, so a new release of any of them builds a new matcher; an old file
is simply never read again. Writes go to a temporary file first, so a killed build leaves
no half-written cache. Within one process a cache file is read at most once: later loads of
the same file return the same matcher object (see `forget_loaded_matchers`).
"""

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ontologies.sources import (
    DEFAULT_SOURCES,
    Crosswalk,
    Term,
    TermSource,
    default_sssom_paths,
    load_blocklist,
    load_sources,
)
from pipelines.entities.matcher import MATCHER_VERSION, Matcher

log = logging.getLogger(__name__)

# Matchers already read from (or written to) a cache file in this process, by the file's
# resolved path. The path's name is the cache key, so an entry never goes stale.
_loaded: dict[Path, Matcher] = {}


def forget_loaded_matchers() -> None:
    """Drop the process's memo of loaded matchers, so the next load reads its file again."""
    _loaded.clear()


def cache_key(
    sources: Sequence[TermSource], sssom: Sequence[Path], blocklist: frozenset[str]
) -> str:
    digest = hashlib.sha256(MATCHER_VERSION.encode())
    for source in sources:
        digest.update(f"\n{source.name}={source.version()}".encode())
    for path in sssom:
        digest.update(f"\n{path.name}:{path.stat().st_size}:".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update("\n".join(sorted(blocklist)).encode())
    return digest.hexdigest()[:20]


def build_matcher(
    sources: Sequence[TermSource], sssom: Sequence[Path], blocklist: frozenset[str]
) -> Matcher:
    terms: list[Term] = []
    for source in sources:
        terms.extend(source.iter_terms())
    crosswalk = Crosswalk()
    for path in sssom:
        crosswalk.add_sssom(path)
    crosswalk.add_xrefs(terms)
    return Matcher.build(terms, crosswalk, blocklist)


def load_matcher(
    ontology_dir: Path | None,
    cache_dir: Path | None,
    *,
    names: tuple[str, ...] = DEFAULT_SOURCES,
    sources: Sequence[TermSource] | None = None,
    sssom: Sequence[Path] | None = None,
    blocklist: frozenset[str] | None = None,
) -> Matcher:
    """The matcher for these sources: from `cache_dir` when built before, else built (and
    saved there when `cache_dir` is given)."""
    chosen = list(sources) if sources is not None else load_sources(ontology_dir, names)
    mappings = (
        list(sssom)
        if sssom is not None
        else (default_sssom_paths(ontology_dir) if ontology_dir else [])
    )
    blocked = blocklist if blocklist is not None else load_blocklist()
    if cache_dir is None:
        return build_matcher(chosen, mappings, blocked)
    path = (Path(cache_dir) / f"matcher-{cache_key(chosen, mappings, blocked)}.pickle").resolve()
    known = _loaded.get(path)
    if known is not None:
        return known
    if path.exists():
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, Matcher):
                _loaded[path] = loaded
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as error:
            log.warning("[matcher-cache:%s] unreadable, rebuilding: %s", path.name, error)
    matcher = build_matcher(chosen, mappings, blocked)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as out:
            pickle.dump(matcher, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    _loaded[path] = matcher
    return matcher
