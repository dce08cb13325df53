"""docs/ARCHITECTURE.md and docs/CONTRACTS.md cannot drift from the code."""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path

import pytest

from bot.services.container import Services

DOCS = Path(__file__).resolve().parents[1] / "docs"
ROOT = DOCS.parent


def _importable(dotted: str) -> bool:
    """``dotted`` is a module, or an attribute of one (``bot.tg.handlers.*`` : the package)."""
    dotted = dotted.removesuffix(".*")
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        target: object = module
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_every_module_the_architecture_names_exists() -> None:
    text = (DOCS / "ARCHITECTURE.md").read_text(encoding="utf-8")
    names = set(re.findall(r"\bbot(?:\.[A-Za-z_]\w*)+(?:\.\*)?", text))
    assert len(names) > 20  # the page really names modules
    assert sorted(n for n in names if not _importable(n)) == []
    paths = set(re.findall(r"`((?:bot|tests|docs)/[\w/.]+\.(?:py|toml|md))`", text))
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []


def _service_classes() -> dict[str, type]:
    """The classes of the ``Services`` fields, by name (the annotations are strings)."""
    module = importlib.import_module(Services.__module__)
    return {
        str(f.type): getattr(module, str(f.type))
        for f in dataclasses.fields(Services)
        if f.name != "settings"
    }


def _public_methods(cls: type) -> set[str]:
    public = (name for name in vars(cls) if not name.startswith("_"))
    return {name for name in public if callable(getattr(cls, name))}


def test_contracts_name_every_public_service_method_and_nothing_else() -> None:
    text = (DOCS / "CONTRACTS.md").read_text(encoding="utf-8")
    cited = set(re.findall(r"`(\w+Service)\.(\w+)`", text))
    services = _service_classes()
    assert {cls for cls, _ in cited} == set(services)
    for name, cls in services.items():
        documented = {method for owner, method in cited if owner == name}
        assert documented == _public_methods(cls), name


@pytest.mark.parametrize("dotted", ["bot.services.container.build_services"])
def test_contracts_entry_points_exist(dotted: str) -> None:
    assert _importable(dotted)
    assert dotted in (DOCS / "CONTRACTS.md").read_text(encoding="utf-8")
