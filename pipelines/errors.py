"""Typed errors raised by the pipelines."""


class PipelineError(Exception):
    """Base of every error a pipeline stage raises on purpose."""


class InputError(PipelineError):
    """An input could not be read; `str()` is one line naming the input and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
