"""Is requirements.lock in step with pyproject.toml? `make install` runs this after installing the lock.

Every requirement of pyproject.toml (the dependencies and every extra) must be pinned in the lock at a
version its range allows; otherwise this prints what is missing or out of range and exits 1: run `make lock`
and commit both files. Usage: python .ci/check_lock.py [pyproject.toml] [requirements.lock]
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pinned(lock_text: str) -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in lock_text.splitlines():
        if match := PIN.match(line):
            pins[canonicalize_name(match[1])] = Version(match[2])
    return pins


def requirements(pyproject_text: str) -> list[Requirement]:
    project = tomllib.loads(pyproject_text)["project"]
    lines = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        lines.extend(extra)
    return [Requirement(line) for line in lines]


def problems(pyproject_text: str, lock_text: str) -> list[str]:
    pins = pinned(lock_text)
    found = []
    for req in requirements(pyproject_text):
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue  # not needed on this platform
        version = pins.get(canonicalize_name(req.name))
        if version is None:
            found.append(f"{req} is not pinned in requirements.lock")
        elif not req.specifier.contains(version, prereleases=True):
            found.append(f"{req} does not allow the locked version {req.name}=={version}")
    return found


def main(argv: list[str]) -> int:
    pyproject = Path(argv[0]) if argv else ROOT / "pyproject.toml"
    lock = Path(argv[1]) if len(argv) > 1 else ROOT / "requirements.lock"
    found = problems(pyproject.read_text(), lock.read_text())
    for problem in found:
        print(f"{lock.name}: {problem}")
    if found:
        print(
            "The lock file is out of date: run `make lock` and commit pyproject.toml and requirements.lock."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
