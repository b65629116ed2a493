"""ARCHITECTURE.md matches the tree, and the import-linter contracts it describes hold."""

import re
import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
AREA_ROW = re.compile(r"^\| (\d+) \| `(\w+)` \|", re.MULTILINE)


def _documented_areas() -> dict[str, int]:
    text = (ROOT / "ARCHITECTURE.md").read_text()
    return {name: int(row) for row, name in AREA_ROW.findall(text)}


def _area_packages() -> set[str]:
    quizzes = ROOT / "quizzes"
    return {
        path.parent.name
        for path in quizzes.glob("*/__init__.py")
        if path.parent.name not in {"management", "migrations"}
    }


def _contract_layers() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return [{name.strip().removeprefix("quizzes.") for name in row.split("|")} for row in layers]


def test_every_area_is_documented_and_every_documented_area_exists():
    assert set(_documented_areas()) == _area_packages()


def test_the_documented_rows_are_the_contract_layers():
    documented = _documented_areas()
    rows = [
        {name for name, row in documented.items() if row == number}
        for number in sorted(set(documented.values()))
    ]
    assert rows == _contract_layers()


def test_each_area_has_its_templates_and_tests_folders_where_it_has_pages():
    for area in _area_packages():
        assert (ROOT / "tests" / "quizzes" / area).is_dir() or area == "common", area
        if (ROOT / "quizzes" / area / "urls.py").exists():
            assert (ROOT / "templates" / "quizzes" / area).is_dir(), area


def test_the_import_contracts_hold():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_logo=True) == 0
