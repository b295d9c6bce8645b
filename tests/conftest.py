"""Shared fixtures. The network is never used; ../shared is read in place when present."""

import os
from pathlib import Path

import pytest

_DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared_root() -> Path | None:
    """The shared data folder: $KG_SHARED, else ../shared beside the checkout, else None."""
    configured = os.environ.get("KG_SHARED")
    path = Path(configured) if configured else _DEFAULT_SHARED
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def shared() -> Path:
    """Path of ../shared; the test is skipped, with the reason, when it is absent."""
    root = shared_root()
    if root is None:
        pytest.skip("needs the shared data folder: set KG_SHARED or put it at ../shared")
    return root


@pytest.fixture
def fixtures() -> Path:
    return Path(__file__).parent / "fixtures"
