"""Deterministic identifiers: IRIs of our own resources are content hashes under one base IRI."""

import hashlib

# 128 bits of SHA-256: collisions are out of reach for any corpus we could hold.
_HASH_CHARS = 32


def sha256_hex(data: bytes) -> str:
    """Lower-case hexadecimal SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def key_of(*parts: str) -> str:
    """A stable key for a tuple of strings (joined unambiguously, then hashed)."""
    joined = "\x1f".join(parts).encode("utf-8")
    return sha256_hex(joined)[:_HASH_CHARS]


def check_base_iri(base: str) -> str:
    """Return `base` if it can prefix our IRIs, else raise ValueError saying why."""
    if not base.startswith(("http://", "https://", "urn:")):
        raise ValueError(f"base IRI must start with http://, https:// or urn: (got {base!r})")
    if not base.endswith(("/", "#", ":")):
        raise ValueError(f"base IRI must end with '/', '#' or ':' (got {base!r})")
    if any(c in base for c in ' <>"{}|^`\\'):
        raise ValueError(f"base IRI contains a character not allowed in IRIs (got {base!r})")
    return base


def mint(base: str, kind: str, digest: str) -> str:
    """IRI of our resource of `kind` whose content hashes to `digest`."""
    return f"{base}{kind}/{digest[:_HASH_CHARS]}"


def document_iri(base: str, sha256: str) -> str:
    return mint(base, "document", sha256)


def document_graph_iri(base: str, sha256: str) -> str:
    return mint(base, "graph/document", sha256)


def build_iri(base: str, key: str) -> str:
    return mint(base, "build", key)


def agent_iri(base: str, version: str) -> str:
    return f"{base}agent/litkg/{version}"
