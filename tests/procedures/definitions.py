"""The shipped definition files, read as YAML for the per-seed tests (no Django needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

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
