"""Settings resolve in a fixed order: argument, environment, config file, default."""

from pathlib import Path

import pytest

from kg.config import Settings, resolve
from kg.errors import ConfigError


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    assert resolve(env={"XDG_CONFIG_HOME": str(tmp_path)}) == Settings()


def test_argument_beats_environment_beats_file(tmp_path: Path) -> None:
    cfg = tmp_path / "litkg.toml"
    cfg.write_text('[litkg]\nbase_iri = "https://file.example/"\nmax_file_bytes = 10\n')
    env = {"KG_CONFIG": str(cfg), "KG_BASE_IRI": "https://env.example/"}
    assert resolve(env=env).base_iri == "https://env.example/"
    assert resolve(env=env).max_file_bytes == 10
    assert resolve(env=env, base_iri="https://arg.example/").base_iri == "https://arg.example/"
    assert resolve(env={"KG_CONFIG": str(cfg)}).base_iri == "https://file.example/"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KG_BASE_IRI": "not an iri"}, "environment KG_BASE_IRI: base IRI must start with"),
        ({"KG_MAX_FILE_BYTES": "lots"}, "environment KG_MAX_FILE_BYTES"),
        ({"KG_CONFIG": "/nonexistent/litkg.toml"}, "does not exist"),
    ],
)
def test_bad_settings_name_their_origin(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        resolve(env=env)


def test_a_broken_config_file_is_named(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("base_iri = [unclosed")
    with pytest.raises(ConfigError, match=r"bad\.toml"):
        resolve(env={"KG_CONFIG": str(cfg)})
