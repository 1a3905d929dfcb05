"""The procedure a partnership's administrators are writing (its draft), and adopting a new version from it.

A partnership has at most one draft (``ProcedureDraft``): started from a copy of a bundled procedure
or of its own current version, or from a file the administrator uploads, then edited in a page. A
draft may be broken while it is written; only a draft that the loader accepts can be previewed and
adopted. Adopting stores a new procedure version and adopts it in one transaction: new disagreements
start on it, open ones stay on the version they started on. The draft is then cleared.

Every change is made by an administrator of that partnership (``administrator_check`` first), is
validated before anything is written, and is recorded: ``Verb.REFERENCE_CHANGED`` with the model
``partnerships.ProcedureDraft`` and what was done to it; the adoption itself is
``Verb.PROCEDURE_ADOPTED`` (``partnership_adopt_procedure``). The trail holds ids, never the text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from resolve.audit.models import Verb
from resolve.audit.services import event_record
from resolve.core.errors import NotFound, Refused, ResolveError
from resolve.partnerships.models import Adoption, Partnership, ProcedureDraft
from resolve.partnerships.services import Asker, Asking, administrator_check, partnership_adopt_procedure
from resolve.procedures.loader import (
    DefinitionError,
    Problem,
    UnknownProcedure,
    bundled_path,
    bundled_slugs,
    load_text,
    read_definition,
)
from resolve.procedures.models import ProcedureVersion
from resolve.procedures.schema import Procedure
from resolve.procedures.services import procedure_version_store

#: the largest definition a draft holds, in bytes of UTF-8: the bundled ones are under 100 kB
MAX_BYTES = 1_000_000
#: the endings an uploaded definition's file name may have
FILE_ENDINGS = (".yaml", ".yml")
#: the name problems are reported against (the loader's ``Problem.file``)
DRAFT_FILE = "draft"


@dataclass(frozen=True)
class DraftChecked:
    """A draft and what the loader makes of it: the procedure when it is good, else every problem."""

    draft: ProcedureDraft
    procedure: Procedure | None
    problems: tuple[Problem, ...]

    @property
    def clean(self) -> bool:
        return self.procedure is not None


# --- reading ---------------------------------------------------------------------------------------


def draft_for(*, partnership: Partnership) -> ProcedureDraft | None:
    """The partnership's draft, or None when it has none."""
    return ProcedureDraft.objects.filter(partnership=partnership).select_related("based_on", "updated_by").first()


def definition_check(text: str) -> tuple[Procedure | None, tuple[Problem, ...]]:
    """The procedure in ``text`` and no problems, or None and every problem, each with its line and path."""
    try:
        return load_text(text, filename=DRAFT_FILE), ()
    except DefinitionError as error:
        return None, tuple(error.problems)


def draft_checked(*, partnership: Partnership) -> DraftChecked | None:
    """The partnership's draft, checked; None when it has no draft."""
    draft = draft_for(partnership=partnership)
    if draft is None:
        return None
    procedure, problems = definition_check(draft.text)
    return DraftChecked(draft, procedure, problems)


def is_current(*, partnership: Partnership, text: str) -> bool:
    """True when ``text`` is exactly the definition of the partnership's current version."""
    current = partnership.procedure
    return current is not None and current.sha256 == _digest(text)


def next_version_number(*, partnership: Partnership, procedure: Procedure, text: str) -> int:
    """The version number adopting ``text`` gives: the latest stored one when it is the same text, else one more."""
    latest = ProcedureVersion.objects.filter(slug=procedure.slug).order_by("-version").first()
    if latest is None:
        return 1
    return latest.version if latest.sha256 == _digest(text) else latest.version + 1


# --- changing --------------------------------------------------------------------------------------


@transaction.atomic
def draft_start(*, partnership: Partnership, source: str, by: Asking) -> ProcedureDraft:
    """A new draft holding a copy of a bundled procedure (``bundled:<slug>``) or of the current version (``current``).

    Refused while the partnership has a draft: it is continued or discarded first, so that nobody's
    work is replaced without a word.
    """
    asker = administrator_check(partnership=partnership, by=by)
    source = (source or "").strip()
    based_on = None
    if source == "current":
        based_on = partnership.procedure
        if based_on is None:
            raise ResolveError(
                _("Your partnership has not adopted a procedure yet: start from a bundled one."), field="source"
            )
        text, origin = based_on.source_text, f"version:{based_on.pk}"
    elif source.startswith("bundled:"):
        slug = source.removeprefix("bundled:")
        try:
            text = read_definition(bundled_path(slug))
        except (UnknownProcedure, DefinitionError):
            raise ResolveError(_("Choose one of the procedures listed."), field="source") from None
        origin = f"bundled:{slug}"
    else:
        raise ResolveError(_("Choose where to start your draft from."), field="source")
    _no_draft_yet(partnership)
    return _create(partnership, asker, by, text=text, origin=origin, based_on=based_on, source=source.split(":")[0])


@transaction.atomic
def draft_upload(*, partnership: Partnership, filename: str, content: bytes, by: Asking) -> ProcedureDraft:
    """A new draft holding the definition in an uploaded file: a ``.yaml`` or ``.yml`` file of UTF-8 text.

    The file need not be a good definition yet (it is checked in the draft's page), but it must be text.
    """
    asker = administrator_check(partnership=partnership, by=by)
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name.lower().endswith(FILE_ENDINGS):
        raise ResolveError(_("The selected file must be a YAML file, ending .yaml or .yml."), field="file")
    if not content:
        raise ResolveError(_("The selected file is empty."), field="file")
    if len(content) > MAX_BYTES:
        raise ResolveError(_("The selected file must be smaller than 1 MB."), field="file")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ResolveError(
            _(
                "The selected file must be UTF-8 text: line %(line)d has a character that is not. "
                "Save the file as UTF-8 (in most editors: Save As, encoding UTF-8) and upload it again."
            )
            % {"line": line},
            field="file",
        ) from None
    text = _text_checked(text, field="file")
    _no_draft_yet(partnership)
    origin = f"file:{name}"[: ProcedureDraft._meta.get_field("origin").max_length or 0]
    return _create(partnership, asker, by, text=text, origin=origin, based_on=None, source="file")


@transaction.atomic
def draft_save(*, partnership: Partnership, text: str, by: Asking) -> ProcedureDraft:
    """The draft now holds ``text`` (a new draft if there was none); the text need not be a good definition yet."""
    asker = administrator_check(partnership=partnership, by=by)
    text = _text_checked(text, field="text")
    draft = ProcedureDraft.objects.select_for_update().filter(partnership=partnership).first()
    if draft is None:
        return _create(partnership, asker, by, text=text, origin="", based_on=None, source="written")
    if draft.text == text:
        return draft  # nothing changed: nothing to record
    draft.text = text
    draft.updated_by = _user(by)
    draft.save(update_fields=["text", "updated_by", "updated_at"])
    _record(partnership, asker, draft, "changed", fields=["text"])
    return draft


@transaction.atomic
def draft_discard(*, partnership: Partnership, by: Asking) -> None:
    """The partnership has no draft any more; its adopted version is untouched."""
    asker = administrator_check(partnership=partnership, by=by)
    draft = ProcedureDraft.objects.select_for_update().filter(partnership=partnership).first()
    if draft is None:
        raise NotFound(_("There is no draft to discard."))
    pk = draft.pk
    draft.delete()
    _record(partnership, asker, pk, "removed")


@transaction.atomic
def draft_adopt(*, partnership: Partnership, by: Asking) -> ProcedureVersion:
    """Store the draft as a new version of the procedure and adopt it; the draft is then cleared.

    Refused, changing nothing, when the draft has problems, when it is exactly the current version,
    or when its slug is another procedure's (a bundled one, or one another partnership adopted).
    """
    asker = administrator_check(partnership=partnership, by=by)
    draft = ProcedureDraft.objects.select_for_update().filter(partnership=partnership).first()
    if draft is None:
        raise NotFound(_("There is no draft to adopt: start one first."))
    procedure, _problems = definition_check(draft.text)
    if procedure is None:
        raise ResolveError(
            _("Your draft has problems, so it cannot be adopted: check it and fix them first."), field="text"
        )
    adoptable_check(partnership=partnership, procedure=procedure, text=draft.text, origin=draft.origin)
    version = procedure_version_store(procedure=procedure, source_text=draft.text, origin=_version_origin(draft))
    partnership_adopt_procedure(partnership=partnership, version=version, by=by)
    pk = draft.pk
    draft.delete()
    _record(partnership, asker, pk, "adopted", version=version.pk)
    return version


@transaction.atomic
def bundled_adopt(*, partnership: Partnership, slug: str, by: Asking) -> ProcedureVersion:
    """Adopt a bundled procedure as it is: its stored version (stored now if it never was)."""
    administrator_check(partnership=partnership, by=by)
    try:
        path = bundled_path(slug)
    except UnknownProcedure:
        raise NotFound(_("There is no such bundled procedure.")) from None
    text = read_definition(path)
    procedure = load_text(text, filename=path.name)
    if is_current(partnership=partnership, text=text):
        raise Refused(_("This is already your current version."))
    version = procedure_version_store(procedure=procedure, source_text=text, origin=f"bundled:{slug}")
    partnership_adopt_procedure(partnership=partnership, version=version, by=by)
    return version


def adoptable_check(*, partnership: Partnership, procedure: Procedure, text: str, origin: str) -> None:
    """Refused when adopting ``text`` would change nothing, or would add a version to another procedure.

    A version's slug names its procedure across the installation: a draft keeps the slug of the
    procedure it was copied from (its own current one, or the bundled one it started from), or has a
    slug no procedure has yet.
    """
    if is_current(partnership=partnership, text=text):
        raise Refused(_("This is already your current version: change the draft before adopting it."))
    slug = procedure.slug
    own = set(Adoption.objects.filter(partnership=partnership).values_list("version__slug", flat=True))
    if partnership.procedure is not None:
        own.add(partnership.procedure.slug)
    if slug in own or origin == f"bundled:{slug}":
        return
    if slug in bundled_slugs():
        raise ResolveError(
            _(
                "The slug “%(slug)s” is the bundled procedure %(slug)s's. Give your procedure a slug of its own "
                "(the first line, slug:), such as “%(slug)s-%(partnership)s”."
            )
            % {"slug": slug, "partnership": partnership.slug},
            field="text",
        )
    if ProcedureVersion.objects.filter(slug=slug).exists():
        raise ResolveError(
            _("The slug “%(slug)s” is already another procedure's. Give your procedure a slug of its own (slug:).")
            % {"slug": slug},
            field="text",
        )


# --- helpers ---------------------------------------------------------------------------------------


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _text_checked(text: str, *, field: str) -> str:
    """The definition's text as stored: line ends as ``\\n``; refused when empty, too large or not plain text."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ResolveError(_("Enter the procedure's definition."), field=field)
    if "\x00" in text:
        raise ResolveError(_("The definition must be plain text: it has a NUL character."), field=field)
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise ResolveError(_("The definition must be smaller than 1 MB."), field=field)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ResolveError(_("The definition must be plain text."), field=field) from None
    return text


def _no_draft_yet(partnership: Partnership) -> None:
    if ProcedureDraft.objects.select_for_update().filter(partnership=partnership).exists():
        raise Refused(_("You already have a draft: continue it, or discard it before starting another."))


def _user(by: Asking) -> Any:  # the account (settings.AUTH_USER_MODEL), or None for an operator
    return by if isinstance(by, AbstractBaseUser) and by.pk is not None else None


def _create(
    partnership: Partnership,
    asker: Asker,
    by: Asking,
    *,
    text: str,
    origin: str,
    based_on: ProcedureVersion | None,
    source: str,
) -> ProcedureDraft:
    draft = ProcedureDraft.objects.create(
        partnership=partnership, text=text, origin=origin, based_on=based_on, updated_by=_user(by)
    )
    _record(partnership, asker, draft, "added", fields=["text", "origin", "based_on"], source=source)
    return draft


def _record(
    partnership: Partnership,
    asker: Asker,
    draft: ProcedureDraft | int | None,
    action: str,
    *,
    fields: list[str] | None = None,
    **more: object,
) -> None:
    pk = draft.pk if isinstance(draft, ProcedureDraft) else draft
    event_record(
        verb=Verb.REFERENCE_CHANGED,
        partnership=partnership,
        actor=asker.actor,
        data={
            "model": ProcedureDraft._meta.label,
            "object": str(pk),
            "action": action,
            "fields": fields or [],
            **more,
            **asker.data,
        },
    )


def _version_origin(draft: ProcedureDraft) -> str:
    """What the stored version says it came from: the draft, and what the draft was started from."""
    limit = ProcedureVersion._meta.get_field("origin").max_length or 0
    return (f"draft:{draft.origin}" if draft.origin else "draft")[:limit]
