"""Named SPARQL queries shipped as .rq files, and parsing user-given variable bindings."""

from importlib import resources

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.errors import QueryError


def named_queries() -> dict[str, str]:
    """Name -> SPARQL text of every query in kg/queries/."""
    folder = resources.files("kg").joinpath("queries")
    return {
        entry.name.removesuffix(".rq"): entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".rq")
    }


def named_query(name: str) -> str:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no query named {name!r} (known: {', '.join(queries)})")
    return queries[name]


def parse_binding(text: str) -> tuple[str, Identifier]:
    """`var=<iri>` binds an IRI, `var=text` a plain literal."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not name.isidentifier():
        raise QueryError(f"binding {text!r} must look like name=value or name=<iri>")
    if value.startswith("<") and value.endswith(">"):
        return name, URIRef(value[1:-1])
    return name, Literal(value)
