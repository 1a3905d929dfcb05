"""The shipped definition files, read as YAML for the per-seed tests (no Django needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from resolve.procedures.schema import Procedure, Stage, Timescale

DEFINITIONS = Path(__file__).resolve().parents[2] / "src" / "resolve" / "procedures" / "definitions"
SEEDS = ["north-east-lincolnshire", "enfield", "peterborough", "pan-lancashire", "cumbria"]


def raw_definition(slug: str) -> dict[str, Any]:
    """The definition file exactly as written, before the schema reads it."""
    return yaml.safe_load((DEFINITIONS / f"{slug}.yaml").read_text(encoding="utf-8"))


def walk(value: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every mapping in the definition with its path."""
    found = []
    if isinstance(value, dict):
        found.append((path, value))
        for key, item in value.items():
            found += walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += walk(item, f"{path}[{i}]")
    return found


def stage(procedure: Procedure, slug: str, pathway: str = "escalation") -> Stage:
    """A stage of a pathway (the single-pathway procedures call theirs "escalation")."""
    return procedure.pathway(pathway).stage(slug)


def timescale(procedure: Procedure, stage_slug: str, slug: str, pathway: str = "escalation") -> Timescale:
    (found,) = [t for t in stage(procedure, stage_slug, pathway).timescales if t.slug == slug]
    return found
