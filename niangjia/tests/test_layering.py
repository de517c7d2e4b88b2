"""The scoping door stays closed: views and API handlers read people data only through selectors that take a user.

Two checks over the source: no view, API or web-shell module names `<PeopleModel>.objects` (or `_default_manager`),
and every public function of a people selector module has a `user` parameter.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]

# Apps whose models hold people data (workers, households, their circumstances and outcomes; staff).
PEOPLE_APPS = ("registry", "screening")
PEOPLE_EXTRA = {"StaffUser"}

SELECTOR_MODULES = ["niangjia.registry.selectors", "niangjia.screening.selectors"]
# Public selector functions that read no people data.
NOT_PEOPLE = {"area_prefix", "identifier_kind"}


def _people_models() -> set[str]:
    names = {model.__name__ for label in PEOPLE_APPS for model in apps.get_app_config(label).get_models()}
    return names | PEOPLE_EXTRA


def _web_modules() -> list[Path]:
    found = [ROOT / "api.py", *ROOT.glob("web/*.py")]
    for app in ROOT.iterdir():
        if app.is_dir():
            found += [*app.glob("views.py"), *app.glob("views/*.py"), *app.glob("api.py"), *app.glob("api_*.py")]
    return sorted(path for path in found if path.is_file())


def _manager_uses(path: Path, models: set[str]) -> list[str]:
    """`Model.objects` and `Model._default_manager` on a people model in one module, as "file:line"."""
    uses = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("objects", "_default_manager")
            and isinstance(node.value, ast.Name)
            and node.value.id in models
        ):
            uses.append(f"{path}:{node.lineno} {node.value.id}.{node.attr}")
    return uses


def test_the_check_finds_a_manager_use(tmp_path: Path) -> None:
    module = tmp_path / "views.py"
    module.write_text("def v(request):\n    return Worker.objects.all()\n", encoding="utf-8")
    assert len(_manager_uses(module, {"Worker"})) == 1
    module.write_text("def v(request):\n    return selectors.worker_list(user=request.user)\n", encoding="utf-8")
    assert _manager_uses(module, {"Worker"}) == []


def test_views_and_api_never_touch_a_people_manager() -> None:
    models = _people_models()
    modules = _web_modules()
    assert ROOT / "registry" / "views" / "lists.py" in modules and ROOT / "web" / "home.py" in modules
    uses = [use for path in modules for use in _manager_uses(path, models)]
    assert uses == [], "read people data through a scoped selector:\n" + "\n".join(uses)


@pytest.mark.parametrize("name", SELECTOR_MODULES)
def test_every_people_selector_takes_a_user(name: str) -> None:
    module = importlib.import_module(name)
    functions = [
        (fname, function)
        for fname, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == name and not fname.startswith("_") and fname not in NOT_PEOPLE
    ]
    assert functions
    userless = [fname for fname, function in functions if "user" not in inspect.signature(function).parameters]
    assert userless == [], f"selectors of people data start from the user: {userless}"
