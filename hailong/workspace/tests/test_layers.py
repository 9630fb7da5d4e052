"""Dependencies point one way: core ← organisation ← surveys ← feedback ← analytics ←
workspace, public, api. A module-level or function-level import against that direction fails
here."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

LAYERS = ["core", "organisation", "surveys", "feedback", "analytics", "workspace", "public", "api"]
# What each app may import from the apps above it in LAYERS: nothing.
TOP = {"workspace", "public", "api"}


def _imports(path: Path, app: str) -> set[str]:
    """The hailong apps a module imports: `import hailong.x`, `from hailong.x…`, `from hailong
    import x`, relative imports, and import_module("hailong.x…") with a literal name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the module's own app
                module = f"hailong.{app}.{node.module or ''}" if node.level == 1 else "hailong."
                module += "" if node.level == 1 else (node.module or "")
            else:
                module = node.module or ""
            found.add(module)
            if module == "hailong":
                found.update(f"hailong.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    return {name.split(".")[1] for name in found if name.startswith("hailong.") and "." in name}


def test_no_app_imports_an_app_above_it():
    root = Path(settings.BASE_DIR) / "hailong"
    wrong = []
    for app in LAYERS:
        allowed = set(LAYERS[: LAYERS.index(app) + 1]) if app not in TOP else set(LAYERS)
        for path in sorted((root / app).rglob("*.py")):
            if "tests" in path.parts:
                continue
            for imported in _imports(path, app) - allowed - {""}:
                wrong.append(f"{path.relative_to(root)} imports hailong.{imported}")
    assert wrong == []


def test_every_app_has_a_layer():
    root = Path(settings.BASE_DIR) / "hailong"
    apps = {p.parent.name for p in root.glob("*/apps.py")}
    assert apps == set(LAYERS)


def test_the_walk_sees_every_shape_of_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from hailong import feedback\n"
        "from ..api import views\n"
        "import importlib\n"
        "importlib.import_module('hailong.public.views')\n"
        "import hailong.workspace.views\n"
    )
    assert _imports(module, "surveys") == {"feedback", "api", "public", "workspace"}
