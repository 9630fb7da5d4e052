"""docs/security.md names the test that proves each protection: every test it names exists, so
the page cannot go on promising a test that was renamed or removed."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# `path/to/test_x.py::test_name`, `::test_name` (same file as the reference before it) or a
# whole test file `path/to/test_x.py`.
REFERENCE = re.compile(r"`((?:[\w./]+\.py)?)(?:::(\w+))?(?:\[[^\]`]*\])?`")


def _references(text: str) -> list[tuple[str, str | None]]:
    found, last_file = [], None
    for match in REFERENCE.finditer(text):
        path, name = match.group(1), match.group(2)
        if path and "test" not in Path(path).name:
            continue  # a module the page explains, not a test
        if not path and name is None:
            continue
        path = path or last_file
        last_file = path
        found.append((path, name))
    return found


def test_every_test_the_security_page_names_exists():
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    references = _references(text)
    missing = []
    for path, name in references:
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
        elif name and not re.search(rf"^def {name}\(", file.read_text(encoding="utf-8"), re.M):
            missing.append(f"{path}::{name}")
    assert missing == []
    assert len(references) > 100  # the page is read, not skipped
