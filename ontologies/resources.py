"""Where the packaged schema files are. Paths only: reading them is the caller's job."""

from importlib import resources
from pathlib import Path


def _schema_file(name: str) -> Path:
    # Installed as package data, so this works from a wheel as well as a checkout.
    return Path(str(resources.files("ontologies").joinpath("schema", name)))


def schema_path() -> Path:
    """The Turtle file declaring every litkg class and property."""
    return _schema_file("litkg.ttl")


def shapes_path() -> Path:
    """The SHACL shapes a valid litkg graph conforms to."""
    return _schema_file("shapes.ttl")
