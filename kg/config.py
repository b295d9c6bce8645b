"""Settings, resolved in a fixed order: argument, environment, config file, default.

Nothing is read at import; `resolve()` reads the environment and the file when called.
"""

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from pipelines.documents import DEFAULT_MAX_BYTES
from pipelines.ids import check_base_iri

DEFAULT_BASE_IRI = "https://w3id.org/litkg/resource/"
DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"


@dataclass(frozen=True, slots=True)
class Settings:
    # None: the store's own base IRI (or the default, for a new store).
    base_iri: str | None = None
    max_file_bytes: int = DEFAULT_MAX_BYTES
    ncbi_email: str | None = None
    ncbi_api_key: str | None = None
    eutils_url: str = DEFAULT_EUTILS_URL
    cache_dir: str | None = None  # None: $XDG_CACHE_HOME/litkg or ~/.cache/litkg
    offline: bool = False
    ontology_dir: str | None = None  # MeSH TSV, GO and DOID OBO files, MONDO SSSOM mappings

    def __repr__(self) -> str:
        # Never show the API key, wherever settings end up printed.
        key = "set" if self.ncbi_api_key else None
        return (
            f"Settings(base_iri={self.base_iri!r}, max_file_bytes={self.max_file_bytes}, "
            f"ncbi_email={self.ncbi_email!r}, ncbi_api_key={key}, "
            f"eutils_url={self.eutils_url!r}, cache_dir={self.cache_dir!r}, "
            f"offline={self.offline}, ontology_dir={self.ontology_dir!r})"
        )


# setting name -> (environment variable, config-file key)
_SOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    "base_iri": (("KG_BASE_IRI",), "base_iri"),
    "max_file_bytes": (("KG_MAX_FILE_BYTES",), "max_file_bytes"),
    "ncbi_email": (("KG_NCBI_EMAIL", "NCBI_EMAIL"), "ncbi_email"),
    "ncbi_api_key": (("KG_NCBI_API_KEY", "NCBI_API_KEY"), "ncbi_api_key"),
    "eutils_url": (("KG_EUTILS_URL",), "eutils_url"),
    "cache_dir": (("KG_CACHE_DIR",), "cache_dir"),
    "offline": (("KG_OFFLINE",), "offline"),
    "ontology_dir": (("KG_ONTOLOGIES",), "ontology_dir"),
}


def config_path(env: Mapping[str, str]) -> Path:
    """$KG_CONFIG, else $XDG_CONFIG_HOME/litkg/config.toml, else ~/.config/litkg/config.toml."""
    if env.get("KG_CONFIG"):
        return Path(env["KG_CONFIG"])
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "litkg" / "config.toml"


def _read_file(path: Path, explicit: bool) -> dict[str, Any]:
    if not path.exists():
        if explicit:
            raise ConfigError(f"config file {path} (from KG_CONFIG) does not exist")
        return {}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path}: {exc}") from None
    section = data.get("litkg", data)
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: [litkg] must be a table")
    return section


def _check(name: str, value: Any, origin: str) -> Any:
    try:
        if name == "base_iri":
            return check_base_iri(str(value))
        if name == "max_file_bytes":
            number = int(value)
            if number <= 0:
                raise ValueError(f"max_file_bytes must be positive (got {value!r})")
            return number
        if name in ("ncbi_email", "ncbi_api_key", "cache_dir", "ontology_dir"):
            return str(value)
        if name == "eutils_url":
            if not str(value).startswith(("http://", "https://")):
                raise ValueError(f"eutils_url must be an http(s) URL (got {value!r})")
            return str(value)
        if name == "offline":
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("1", "true", "yes", "on"):
                return True
            if str(value).lower() in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(f"offline must be true or false (got {value!r})")
    except ValueError as exc:
        # The message never repeats a value that could be the API key.
        raise ConfigError(f"{origin}: {exc}") from None
    raise ConfigError(f"{origin}: unknown setting {name!r}")


def cache_dir(settings: Settings, env: Mapping[str, str] | None = None) -> Path:
    """Where downloaded data is cached: the setting, else $XDG_CACHE_HOME/litkg or ~/.cache."""
    if settings.cache_dir:
        return Path(settings.cache_dir)
    env = os.environ if env is None else env
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "litkg"


def resolve(env: Mapping[str, str] | None = None, **arguments: Any) -> Settings:
    """Settings from arguments (None means unset), then environment, then file, then defaults."""
    env = os.environ if env is None else env
    path = config_path(env)
    file_values = _read_file(path, explicit=bool(env.get("KG_CONFIG")))
    unknown = set(arguments) - set(_SOURCES)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, (variables, key) in _SOURCES.items():
        var = next((v for v in variables if env.get(v)), None)
        if arguments.get(name) is not None:
            values[name] = _check(name, arguments[name], f"argument {name}")
        elif var is not None:
            values[name] = _check(name, env[var], f"environment {var}")
        elif key in file_values:
            values[name] = _check(name, file_values[key], f"config file {path} key {key}")
    return Settings(**values)
