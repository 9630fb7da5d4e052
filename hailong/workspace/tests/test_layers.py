"""Dependencies point one way: core ← organisation ← surveys ← feedback ← workspace, public,
api. A module-level or function-level import against that direction fails here."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

LAYERS = ["core", "organisation", "surveys", "feedback", "workspace", "public", "api"]
# What each app may import from the apps above it in LAYERS: nothing.
TOP = {"workspace", "public", "api"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name.split(".")[1] for name in found if name.startswith("hailong.")}


def test_no_app_imports_an_app_above_it():
    root = Path(settings.BASE_DIR) / "hailong"
    wrong = []
    for app in LAYERS:
        allowed = set(LAYERS[: LAYERS.index(app) + 1]) if app not in TOP else set(LAYERS)
        for path in sorted((root / app).rglob("*.py")):
            if "tests" in path.parts:
                continue
            for imported in _imports(path) - allowed:
                wrong.append(f"{path.relative_to(root)} imports hailong.{imported}")
    assert wrong == []


def test_every_app_has_a_layer():
    root = Path(settings.BASE_DIR) / "hailong"
    apps = {p.parent.name for p in root.glob("*/apps.py")}
    assert apps == set(LAYERS)
