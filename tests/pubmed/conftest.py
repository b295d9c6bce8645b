"""Fixtures for the PubMed tests: a loopback fake E-utilities server, a fake clock, clients
wired to both, and a guard that fails any attempt to reach a host other than loopback."""

from __future__ import annotations

import ipaddress
import random
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipelines.pubmed.cache import ResponseCache
from pipelines.pubmed.client import EutilsClient, RateLimiter

from .fake_eutils import FakeEutils


class NetworkBlocked(AssertionError):
    """A test tried to reach a host that is not loopback."""


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuse connections and name lookups for anything but loopback; returns the attempts."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            attempts.append(str(address[0]))
            raise NetworkBlocked(f"test tried to connect to {address!r}")
        real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, bytes):
            host = host.decode()
        if host is not None and not _is_loopback(str(host)):
            attempts.append(str(host))
            raise NetworkBlocked(f"test tried to resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


class FakeClock:
    """Monotonic time that only moves when something sleeps; records every sleep."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake() -> Iterator[FakeEutils]:
    """A fake E-utilities server with no data; tests add what they need."""
    with FakeEutils() as server:
        yield server


@pytest.fixture
def shared_fake(shared: Path) -> Iterator[FakeEutils]:
    """A fake E-utilities server serving the real records and responses of ../shared/pubmed."""
    with FakeEutils() as server:
        server.load_shared(shared)
        yield server


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[ResponseCache]:
    with ResponseCache(tmp_path / "eutils.sqlite") as store:
        yield store


ClientFactory = Callable[..., EutilsClient]


@pytest.fixture
def make_client(clock: FakeClock) -> ClientFactory:
    """Build a client for a fake server: short timeout, no real sleeps, seeded jitter."""

    def make(server: FakeEutils, **options: Any) -> EutilsClient:
        settings: dict[str, Any] = {
            "email": "tests@example.org",
            "base_url": server.base_url,
            "idconv_url": server.idconv_url,
            "timeout": 0.5,
            "max_retries": 3,
            "rate_limiter": RateLimiter(clock.time, clock.sleep),
            "sleep": clock.sleep,
            "clock": clock.time,
            "rng": random.Random(7),
        }
        settings.update(options)
        return EutilsClient(**settings)

    return make
