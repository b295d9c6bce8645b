"""kill -9 in the middle of a build leaves a readable store; running it again completes it."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from kg.build import BATCH_DOCUMENTS, build
from kg.store import Store


def named_quads(path: Path) -> list[str]:
    with Store.open(path) as store:
        return sorted(str(q) for q in store.quads() if isinstance(q.graph_name, ox.NamedNode))


def test_kill_minus_nine_then_rebuild_equals_an_uninterrupted_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(BATCH_DOCUMENTS * 12):
        (docs / f"doc{i:04d}.txt").write_text(f"Document number {i}\n\n" + "text " * 200)
    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "-v", "build", str(docs), "--store", str(killed)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("info: added"):  # the first batch is in the store
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with Store.open(killed) as store:  # readable after the kill
        partial = len(store.source_graphs())
    assert BATCH_DOCUMENTS <= partial < BATCH_DOCUMENTS * 12

    with Store.open(killed) as store:
        report = build([docs], store)
    assert report.ok
    assert report.counts["unchanged"] == partial
    assert report.counts["added"] == BATCH_DOCUMENTS * 12 - partial

    clean = tmp_path / "clean"
    with Store.open(clean, create=True) as store:
        build([docs], store)
    assert named_quads(killed) == named_quads(clean)
