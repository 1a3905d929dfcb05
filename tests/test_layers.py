"""Arrows between apps that must not come back (the whole layering is pyproject's import-linter contract).

`lint-imports`, a step of `python3 dev.py test`, checks every layer; these tests pin the moves that took
the procedures, partnerships and demo apps out of the import cycle, so that they fail where they broke.
"""

from __future__ import annotations

import grimp
import pytest


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("resolve", cache_dir=None)


def imports(graph: grimp.ImportGraph, importer: str, imported: str) -> list[str]:
    """Every direct import from the package ``importer`` of the package ``imported``, as readable lines."""
    found = graph.find_matching_direct_imports(import_expression=f"{importer}.** -> {imported}.**")
    found += graph.find_matching_direct_imports(import_expression=f"{importer}.** -> {imported}")
    return sorted(f"{i['importer']} -> {i['imported']}" for i in found)


def test_procedures_knows_nothing_of_partnerships(graph: grimp.ImportGraph) -> None:
    assert imports(graph, "resolve.procedures", "resolve.partnerships") == []


@pytest.mark.parametrize("above", ["resolve.disagreements", "resolve.demo"])
def test_partnerships_does_not_import_the_apps_built_on_it(graph: grimp.ImportGraph, above: str) -> None:
    assert imports(graph, "resolve.partnerships", above) == []


@pytest.mark.parametrize(
    "app", ["resolve.core", "resolve.calendar", "resolve.procedures", "resolve.partnerships", "resolve.disagreements"]
)
def test_no_domain_app_imports_the_demo(graph: grimp.ImportGraph, app: str) -> None:
    assert imports(graph, app, "resolve.demo") == []
