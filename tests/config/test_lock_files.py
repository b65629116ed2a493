"""The lock files are in step with pyproject.toml and hash every package they install.

`make run`, `make test` and CI install only from them (pip --require-hashes); a dependency
added to pyproject.toml without `make lock` fails here instead of on a fresh machine.
"""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCKS = {"requirements.lock": None, "requirements-test.lock": "test",
         "requirements-bench.lock": "bench"}
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;]+)")


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def _pins(requirements) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        match = PIN.match(requirement)
        assert match, f"pyproject.toml: pin {requirement!r} exactly (name==version)"
        pins[_name(match.group(1))] = match.group(2)
    return pins


def _locked(path: Path) -> dict[str, list[str]]:
    """{package: [its version, then its hashes]} from a lock file."""
    locked, current = {}, None
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = _name(match.group(1))
            locked[current] = [match.group(2)]
        elif line.strip().startswith("--hash=sha256:") and current:
            locked[current].append(line.strip())
    return locked


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_pin_of_pyproject_is_locked_at_its_version_with_hashes(lock):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = _pins(project["project"]["dependencies"])
    wanted |= _pins(project["dependency-groups"]["build"])
    if LOCKS[lock]:
        wanted |= _pins(project["project"]["optional-dependencies"][LOCKS[lock]])
    locked = _locked(ROOT / lock)
    stale = {name: version for name, version in wanted.items()
             if locked.get(name, [None])[0] != version}
    assert not stale, f"{lock} is out of step with pyproject.toml for {stale}: run make lock"
    unhashed = [name for name, entry in locked.items() if len(entry) < 2]
    assert not unhashed, f"{lock} has packages without a hash: {unhashed}"
