"""The version of litkg, as installed."""

from importlib.metadata import PackageNotFoundError, version


def tool_version() -> str:
    try:
        return version("litkg")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
