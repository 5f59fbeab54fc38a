"""Guard-rails for a layout whose package names are common on package indexes.

A stray ``collectors`` or ``sink`` from site-packages would make every other test meaningless, and a
sub-package missing from pyproject's explicit list silently vanishes from a non-editable install.
"""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

import pytest

STAGE_PACKAGES = ["collectors", "normalizer", "dedup", "sink", "dengar"]


@pytest.mark.parametrize("package", STAGE_PACKAGES)
def test_stage_package_is_imported_from_this_repository(package: str, repo_root: Path) -> None:
    module = importlib.import_module(package)
    assert module.__file__ is not None, f"{package} is a namespace package, not ours"
    location = Path(module.__file__).resolve()
    assert location == repo_root / package / "__init__.py", (
        f"'{package}' was imported from {location}, not from this repository"
    )


def test_config_folder_holds_data_only(repo_root: Path) -> None:
    config = repo_root / "config"
    python_files = sorted(str(p.relative_to(repo_root)) for p in config.rglob("*.py"))
    assert python_files == [], f"config/ is for data files only, found: {python_files}"
    assert not (config / "__init__.py").exists()


def _declared_packages(repo_root: Path) -> set[str]:
    pyproject = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    return set(pyproject["tool"]["setuptools"]["packages"])


def test_every_stage_sub_package_is_declared_in_pyproject(repo_root: Path) -> None:
    declared = _declared_packages(repo_root)
    on_disk = {
        ".".join(init.parent.relative_to(repo_root).parts)
        for package in STAGE_PACKAGES
        for init in (repo_root / package).rglob("__init__.py")
    }
    assert on_disk, "no stage package found on disk"
    missing = sorted(on_disk - declared)
    assert missing == [], f"add these to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_no_declared_package_is_missing_from_disk(repo_root: Path) -> None:
    stale = sorted(
        name
        for name in _declared_packages(repo_root)
        if not (repo_root.joinpath(*name.split(".")) / "__init__.py").is_file()
    )
    assert stale == [], f"pyproject.toml lists packages that do not exist: {stale}"
