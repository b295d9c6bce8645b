"""The run report of a build: what was added, replaced, left unchanged or failed, and why."""

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Status = Literal["added", "replaced", "unchanged", "duplicate", "failed"]
STATUSES: tuple[Status, ...] = ("added", "replaced", "unchanged", "duplicate", "failed")


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What became of one input file (or of an input that yielded no file)."""

    input: str  # as the user gave it
    status: Status
    path: str | None = None
    reason: str | None = None
    document: str | None = None
    graph: str | None = None
    title: str | None = None


@dataclass(slots=True)
class BuildReport:
    build: str
    store: str
    tool_version: str
    started_at: str
    inputs: tuple[str, ...]
    ended_at: str | None = None
    seconds: float = 0.0
    items: list[ItemOutcome] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(item.status for item in self.items)
        return {status: found.get(status, 0) for status in STATUSES}

    @property
    def failures(self) -> list[ItemOutcome]:
        return [item for item in self.items if item.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        return {
            "build": self.build,
            "store": self.store,
            "tool_version": self.tool_version,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "seconds": round(self.seconds, 3),
            "inputs": list(self.inputs),
            "counts": self.counts,
            "items": [
                {k: v for k, v in asdict(item).items() if v is not None} for item in self.items
            ],
        }

    def summary(self) -> str:
        """A few lines for a person: the counts, then each failure with its reason."""
        c = self.counts
        lines = [
            f"built {self.store}: {c['added']} added, {c['replaced']} replaced, "
            f"{c['unchanged']} unchanged, {c['duplicate']} duplicate, {c['failed']} failed "
            f"in {self.seconds:.1f} s"
        ]
        lines += [
            f"  failed: {item.input if item.path is None else item.path}: {item.reason}"
            for item in self.failures
        ]
        return "\n".join(lines)

    def write(self, path: Path) -> None:
        """Write the report as JSON (via a temporary file, so a reader never sees half of it)."""
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        tmp.replace(path)
