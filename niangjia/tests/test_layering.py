"""The parts stay layered, and the scoping door stays closed.

Three checks over the source: no part imports a part above it (ARCHITECTURE.md, "Parts"); no view, API or
web-shell module names `<PeopleModel>.objects` (or `_default_manager`); and every public function of a people
selector module has a `user` parameter.
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


# Each part and the parts it depends on, as ARCHITECTURE.md's table of parts has them; a part may import
# those and, through them, what they depend on. Top-level modules (api_errors, settings…) are free.
# Two edges follow the issues rather than the first table (docs/architecture.md, "Dependencies"):
# outreach files a visit's needs as tickets and lists screening results on the cadre's workspace, so it
# depends on tickets and screening; assistance counts a campaign's home visit as a contact, so it reads
# outreach.
DEPENDS_ON: dict[str, set[str]] = {
    "rules": set(), "core": set(), "orgs": {"core"}, "registry": {"orgs"},
    "outreach": {"registry", "screening", "tickets"},
    "screening": {"registry", "rules"}, "funds": {"orgs"}, "assistance": {"registry", "screening", "funds", "outreach"},
    "tickets": {"registry"}, "stations": {"registry"}, "courses": {"registry"}, "jobfairs": {"registry"},
    "activities": {"registry"}, "care": {"registry"},
}  # fmt: skip
_SERVICES = set(DEPENDS_ON)
DEPENDS_ON |= {"reports": _SERVICES, "web": _SERVICES | {"reports"}, "demo": _SERVICES | {"reports", "web"}}


def _below(part: str) -> frozenset[str]:
    found: set[str] = set()
    todo = list(DEPENDS_ON[part])
    while todo:
        if (name := todo.pop()) not in found:
            found.add(name)
            todo += DEPENDS_ON[name]
    return frozenset(found)


LAYERS = {part: _below(part) for part in DEPENDS_ON}


def _imported_parts(path: Path) -> list[tuple[int, str]]:
    """(line, part) for every `niangjia.<part>` a module imports, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if node.module != "niangjia" else [f"niangjia.{a.name}" for a in node.names]
        found += [(node.lineno, name.split(".")[1]) for name in names if name.startswith("niangjia.")]
    return found


def _upward_imports(root: Path, part: str) -> list[str]:
    """Imports of a higher part in `part`'s code (its tests may use anything: demo data, other parts' fixtures)."""
    allowed = LAYERS[part] | {part}
    uses = []
    for path in sorted((root / part).rglob("*.py")):
        if "tests" in path.relative_to(root / part).parts or path.name == "conftest.py":
            continue
        uses += [f"{path}:{line} imports niangjia.{name}" for line, name in _imported_parts(path)
                 if name in LAYERS and name not in allowed]  # fmt: skip
    return uses


def test_the_layering_check_finds_an_upward_import(tmp_path: Path) -> None:
    (tmp_path / "orgs" / "views").mkdir(parents=True)
    (tmp_path / "orgs" / "views" / "a.py").write_text(
        "from niangjia.core.tabular.reading import read_rows\n"
        "def f():\n    from niangjia.registry.importing import import_file\n",
        encoding="utf-8",
    )
    (tmp_path / "orgs" / "b.py").write_text(
        "import niangjia.screening.models\nfrom niangjia import web\n", encoding="utf-8"
    )
    assert [use.split(" ", 1)[1] for use in _upward_imports(tmp_path, "orgs")] == [
        "imports niangjia.screening",
        "imports niangjia.web",
        "imports niangjia.registry",
    ]


# The parts in the tree: the Django apps and the engine (pure Python, no app).
PARTS = sorted({path.parent.name for path in ROOT.glob("*/apps.py")} | {"rules"})


def test_every_part_has_its_place() -> None:
    assert set(PARTS) <= set(LAYERS), (
        f"add the new part to DEPENDS_ON, as in ARCHITECTURE.md: {set(PARTS) - set(LAYERS)}"
    )


@pytest.mark.parametrize("part", PARTS)
def test_no_part_imports_a_part_above_it(part: str) -> None:
    uses = _upward_imports(ROOT, part)
    assert uses == [], "a lower part never imports a higher one (ARCHITECTURE.md, Parts):\n" + "\n".join(uses)


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
