"""Every message the domain code raises for a person to read is marked for translation.

A page shows a ``ResolveError``'s message as it is (the error summary, a refusal, "Page not found"),
so a Welsh partnership can only have it in Welsh if the message went through ``gettext``. Each module
under ``src/resolve`` is parsed, and every construction of ``ResolveError`` or one of its subclasses
(found in the source, so a new one is checked too) must be given its message through ``_()`` or
``gettext`` (alone or ``%``-formatted), or as a name or a call that builds it: never a plain string
or an f-string typed in place.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

SRC = Path(__file__).resolve().parents[2] / "src" / "resolve"
MODULES = {path: ast.parse(path.read_text(), str(path)) for path in sorted(SRC.rglob("*.py"))}
TRANSLATE = {"_", "gettext", "gettext_lazy", "_lazy", "ngettext", "pgettext"}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def error_classes() -> set[str]:
    """``ResolveError`` and every class that derives from it, at any depth, by name."""
    found = {"ResolveError"}
    grew = True
    while grew:
        grew = False
        for tree in MODULES.values():
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in found
                    and any(_name(base) in found for base in node.bases)
                ):
                    found.add(node.name)
                    grew = True
    return found


def typed_in_place(message: ast.expr) -> bool:
    """A string or f-string literal (or one joined to, formatted or chosen between), not a translation."""
    if isinstance(message, ast.JoinedStr):
        return True
    if isinstance(message, ast.Constant):
        return isinstance(message.value, str)
    if isinstance(message, ast.BinOp):
        return typed_in_place(message.left) or typed_in_place(message.right)
    if isinstance(message, ast.IfExp):
        return typed_in_place(message.body) or typed_in_place(message.orelse)
    return False


def untranslated_messages() -> list[str]:
    errors = error_classes()
    found = []
    for path, tree in MODULES.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in errors):
                continue
            message = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "message"), None)
            if message is not None and typed_in_place(message):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(message)[:80]}")
    return found


def test_the_subclasses_of_resolve_error_are_found() -> None:
    assert {"Refused", "NotFound", "AccessRefused", "AccessNotFound"} <= error_classes()


def test_the_check_catches_a_message_typed_in_place() -> None:
    for source in ('Refused("No.")', 'NotFound(f"No {x}.")', 'ResolveError("No %s." % x)', 'Refused(_("a") + "b")'):
        assert typed_in_place(ast.parse(source, mode="eval").body.args[0])  # type: ignore[attr-defined]
    for source in ('Refused(_("No."))', 'NotFound(_("No %(x)s.") % {"x": x})', "Refused(problem)", "Refused(why(x))"):
        assert not typed_in_place(ast.parse(source, mode="eval").body.args[0])  # type: ignore[attr-defined]


def test_every_message_raised_for_a_person_is_marked_for_translation() -> None:
    assert untranslated_messages() == [], (
        "Wrap these messages in gettext: _('... %(name)s ...') % {'name': ...} (en-GB text unchanged)"
    )


def test_no_module_that_translates_hides_gettext_behind_a_throwaway_name() -> None:
    """``x, _ = ...`` inside a function makes ``_`` local to all of it, and ``_("...")`` there then fails."""
    found = []
    for path, tree in MODULES.items():
        if "gettext as _" not in path.read_text():
            continue
        # a comprehension's own variable stays inside the comprehension
        own = {id(n) for c in ast.walk(tree) if isinstance(c, ast.comprehension) for n in ast.walk(c.target)}
        found += [
            f"{path.relative_to(SRC)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store) and id(node) not in own
        ]
    assert found == []


def test_translation_functions_keep_names_makemessages_knows() -> None:
    """xgettext finds ``_``, ``gettext``, ``gettext_lazy``...; another alias is never extracted."""
    found = [
        f"{path.relative_to(SRC)}:{node.lineno}: {alias.name} as {alias.asname}"
        for path, tree in MODULES.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.asname not in (None, "_")
    ]
    assert found == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext's xgettext")
def test_makemessages_extracts_the_domain_messages_for_a_welsh_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """What a translator is given holds the refusals, their reasons, the verbs and the labels pages show."""
    settings.LOCALE_PATHS = [str(tmp_path)]
    monkeypatch.chdir(SRC.parent)
    call_command("makemessages", locale=["cy"], verbosity=0, ignore_patterns=["*/migrations/*", "*/static/*"])
    catalogue = (tmp_path / "cy" / "LC_MESSAGES" / "django.po").read_text()
    for message in (
        'msgid "There is no such disagreement, or you do not have access to it."',  # a refusal
        'msgid "Only the agency that raised this disagreement can withdraw it."',  # a policy reason
        'msgid "%(name)s is not an active member of an agency you disagree with."',  # with its placeholder
        'msgid "Written outcome proposed"',  # a verb of the timeline
        'msgid "Closure day (not a working day)"',  # a label of a choice
        'msgid "What is due"',  # a word the disagreement page's timeline builds
    ):
        assert message in catalogue
    assert "#, python-format" in catalogue
