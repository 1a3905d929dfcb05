"""Reading procedure definitions from YAML, with errors that name the file, the path and the line.

The bundled definitions live in ``definitions/<slug>.yaml`` beside this module; a partnership can
also adopt a definition of its own from any file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from resolve.procedures.schema import Procedure, ReferenceProblems

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition: where it is and what is wrong."""

    file: str
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '(top level)'}: {self.message}"


class DefinitionError(Exception):
    """A definition that cannot be used; ``problems`` says everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UnknownProcedure(LookupError):
    def __init__(self, slug: str) -> None:
        known = ", ".join(bundled_slugs())
        super().__init__(f"There is no bundled procedure {slug!r}. Bundled procedures: {known}.")
        self.slug = slug


def bundled_slugs() -> list[str]:
    return sorted(p.stem for p in DEFINITIONS_DIR.glob("*.yaml"))


def bundled_path(slug: str) -> Path:
    path = DEFINITIONS_DIR / f"{slug}.yaml"
    if not path.is_file() or "/" in slug or slug.startswith("."):
        raise UnknownProcedure(slug)
    return path


@cache
def bundled(slug: str) -> Procedure:
    """The bundled procedure with this slug (parsed once per process)."""
    return load_file(bundled_path(slug))


def read_definition(path: Path | str) -> str:
    """The text of a definition file; a file that cannot be read, or is not UTF-8, is a DefinitionError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DefinitionError([Problem(str(path), "", None, f"cannot be read: {exc.strerror}")]) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DefinitionError(
            [
                Problem(
                    str(path),
                    "",
                    line,
                    f"is not UTF-8 text: the byte 0x{raw[exc.start]:02x} at offset {exc.start} is not "
                    f"UTF-8; save the file as UTF-8 (in most editors: Save As, encoding UTF-8)",
                )
            ]
        ) from None


def load_file(path: Path | str) -> Procedure:
    path = Path(path)
    procedure = load_text(read_definition(path), filename=str(path))
    if path.parent == DEFINITIONS_DIR and procedure.slug != path.stem:
        raise DefinitionError(
            [Problem(str(path), "slug", None, f"a bundled definition's slug must be its file name {path.stem!r}")]
        )
    return procedure


def load_text(text: str, *, filename: str = "<text>") -> Procedure:
    """Parse and validate a definition; raises DefinitionError naming every problem.

    A definition that is valid is parsed once per process: the result is cached by the text (a
    ``Procedure`` is frozen, so every caller can share it), which spares a partnership's every
    adoption of the same file, and the test suite's every partnership, a second YAML parse.
    """
    try:
        return _valid_procedure(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError([Problem(filename, "", line, f"is not valid YAML: {problem}")]) from exc
    except _NotAMapping:
        raise DefinitionError(
            [Problem(filename, "", 1, "must be a mapping of fields (slug, name, pathways, ...)")]
        ) from None
    except ValidationError as exc:
        raise DefinitionError(_problems(text, filename, exc)) from exc


class _NotAMapping(Exception):
    """The YAML parsed, but to something other than a mapping of fields."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice in one mapping.

    PyYAML keeps the last of two equal keys without a word, so ``n: 7`` then ``n: 70`` would count
    70 working days: here the second key is an error at its own line. Merge keys (``<<``) are left
    to PyYAML, whose merged values an explicit key may override.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    f"while reading the mapping that starts on line {node.start_mark.line + 1}",
                    node.start_mark,
                    f"the key {key!r} is given twice (first on line {seen[key].start_mark.line + 1}); keep one of them",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def _parse(text: str) -> Any:
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader: no arbitrary objects)


@lru_cache(maxsize=64)
def _valid_procedure(text: str) -> Procedure:
    """The validated procedure in ``text``; raises (and caches nothing) if it is not one."""
    data = _parse(text)
    if not isinstance(data, dict):
        raise _NotAMapping
    return Procedure.model_validate(data)


def _problems(text: str, filename: str, exc: ValidationError) -> list[Problem]:
    """Every problem pydantic found, with its readable path and the line it is on in ``text``.

    A problem where one part of the file names another (a notification to an unknown role) is
    raised by the schema as ``ReferenceProblems``, each with where it is: it is reported at the line
    of the entry to fix, not at the line of the model that found it.
    """
    data = _parse(text)
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # only here: the nodes carry the line numbers
    errors = exc.errors(include_url=False)
    locs = [tuple(e["loc"]) for e in errors]
    problems: list[Problem] = []
    for err in errors:
        # pydantic also says a list is "too short" when its items failed: only the items matter
        if err["type"] == "too_short" and any(
            o[: len(err["loc"])] == tuple(err["loc"]) and o != tuple(err["loc"]) for o in locs
        ):
            continue
        cause = err.get("ctx", {}).get("error")
        if isinstance(cause, ReferenceProblems):
            for where, message in cause.located:
                loc = (*err["loc"], *where)
                problems.append(Problem(filename, _readable_path(data, loc), _line_of(root, loc), message))
            continue
        problems.append(Problem(filename, _readable_path(data, err["loc"]), _line_of(root, err["loc"]), _message(err)))
    return problems


def check_file(path: Path | str) -> list[Problem]:
    try:
        load_file(path)
    except DefinitionError as exc:
        return exc.problems
    return []


def _message(err: Any) -> str:
    msg = str(err["msg"])
    msg = msg.removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "is not a field of the procedure format (check the spelling)"
    if err["type"] == "missing":
        return "is required but missing"
    if "input" in err and err["type"] not in ("model_type",) and not isinstance(err["input"], dict | list):
        return f"{msg} (found {err['input']!r})"
    return msg


def _readable_path(data: Any, loc: tuple[Any, ...]) -> str:
    """``pathways[individual-cases].stages[b-line-manager].timescales[0].n``: slugs where known."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list):
            item = node[part] if part < len(node) else None
            label = item.get("slug") if isinstance(item, dict) else None
            out += f"[{label or part}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _line_of(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    node = root
    line = root.start_mark.line + 1 if root is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if str(k.value) == str(part)), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line
