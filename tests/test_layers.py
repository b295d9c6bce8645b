"""Imports point down the layers: kg -> (pipelines, exports) -> ontologies."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kg", "pipelines", "exports", "ontologies")
# What each package may import among ours (besides itself).
ALLOWED = {
    "kg": {"pipelines", "exports", "ontologies"},
    "pipelines": {"ontologies"},
    "exports": {"ontologies"},
    "ontologies": set(),
}


def imported_packages(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


def test_the_walker_sees_both_import_forms() -> None:
    assert imported_packages("import kg.store\nfrom exports import x\nimport os") == {
        "kg",
        "exports",
    }


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_down(package: str) -> None:
    wrong = []
    for path in sorted((ROOT / package).rglob("*.py")):
        used = imported_packages(path.read_text(encoding="utf-8")) - {package}
        wrong += [f"{path.relative_to(ROOT)} imports {p}" for p in used - ALLOWED[package]]
    assert not wrong, "imports pointing up the layers:\n" + "\n".join(wrong)


def test_importing_does_no_io(tmp_path: Path) -> None:
    """A fresh interpreter importing every module opens no file outside the stdlib/site."""
    import subprocess
    import sys

    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for pkg in PACKAGES
        for p in (ROOT / pkg).rglob("*.py")
        if p.name != "__main__.py"
    )
    script = (
        "import builtins, sys\n"
        "opened = []\n"
        "real = builtins.open\n"
        "def spy(file, *a, **k):\n"
        "    opened.append(str(file)); return real(file, *a, **k)\n"
        "builtins.open = spy\n"
        f"for m in {modules!r}: __import__(m)\n"
        "bad = [f for f in opened if 'site-packages' not in f and 'python3' not in f]\n"
        "print('\\n'.join(bad)); sys.exit(1 if bad else 0)\n"
    )
    env = {"HOME": str(tmp_path), "KG_CONFIG": str(tmp_path / "absent.toml"), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
