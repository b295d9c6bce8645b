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


@dataclass(frozen=True, slots=True)
class Settings:
    # None: the store's own base IRI (or the default, for a new store).
    base_iri: str | None = None
    max_file_bytes: int = DEFAULT_MAX_BYTES


# setting name -> (environment variable, config-file key)
_SOURCES = {
    "base_iri": ("KG_BASE_IRI", "base_iri"),
    "max_file_bytes": ("KG_MAX_FILE_BYTES", "max_file_bytes"),
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
    except ValueError as exc:
        raise ConfigError(f"{origin}: {exc}") from None
    raise ConfigError(f"{origin}: unknown setting {name!r}")


def resolve(env: Mapping[str, str] | None = None, **arguments: Any) -> Settings:
    """Settings from arguments (None means unset), then environment, then file, then defaults."""
    env = os.environ if env is None else env
    path = config_path(env)
    file_values = _read_file(path, explicit=bool(env.get("KG_CONFIG")))
    unknown = set(arguments) - set(_SOURCES)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, (var, key) in _SOURCES.items():
        if arguments.get(name) is not None:
            values[name] = _check(name, arguments[name], f"argument {name}")
        elif env.get(var):
            values[name] = _check(name, env[var], f"environment {var}")
        elif key in file_values:
            values[name] = _check(name, file_values[key], f"config file {path} key {key}")
    return Settings(**values)
