"""
The rooms' layers (pyproject.toml, [tool.importlinter]; README, "Layout"): `make lint` runs
import-linter over them in CI. These tests run the same check over a copy of the code, as it is
and with one import pointing up a layer, so that the check is known to fail on a back-edge.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
LAYERS = CONFIG["contracts"][0]["layers"]


@pytest.fixture(scope="module")
def code(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("code")
    for package in CONFIG["root_packages"]:
        shutil.copytree(ROOT / package, copy / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def _lint_imports(code: Path) -> subprocess.CompletedProcess:
    return subprocess.run([Path(sys.executable).parent / "lint-imports"], cwd=code,  # noqa: S603
                          env={"PYTHONPATH": str(code), "PATH": ""},
                          capture_output=True, text=True, timeout=120, check=False)


def test_every_room_is_a_layer():
    assert sorted(LAYERS) == sorted(CONFIG["root_packages"])
    assert LAYERS[-1] == "tyokyky"  # the core imports no domain app


def test_the_code_keeps_its_layers(code):
    result = _lint_imports(code)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("lower", "higher"), [("consents", "meetings"), ("tyokyky", "clients"),
                                               ("clients", "cases"), ("work", "plans")])
def test_an_import_up_a_layer_fails_the_check(code, lower, higher):
    back_edge = code / lower / "back_edge.py"
    back_edge.write_text(f"import {higher}  # noqa\n")
    try:
        result = _lint_imports(code)
    finally:
        back_edge.unlink()
    assert result.returncode != 0
    assert f"{lower}.back_edge -> {higher}" in result.stdout
