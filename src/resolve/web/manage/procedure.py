"""Administration pages: the partnership's procedure. Adopt a bundled one, or write a new version in a draft.

``procedure/`` shows the adopted version and how many open disagreements are on each version, and the
ways to start: adopt a bundled procedure as it is (with a confirmation page), start a draft from a copy
(``procedure/start/``) or from an uploaded file (``procedure/upload/``). The draft is edited in
``procedure/draft/`` (a text area with Check and Save, no JavaScript), previewed pathway by pathway
from the draft itself (``procedure/draft/preview/``) and adopted as a new version
(``procedure/draft/adopt/``). Each change is one call to ``resolve.partnerships.drafting``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements.models import Disagreement
from resolve.partnerships.drafting import (
    MAX_BYTES,
    DraftChecked,
    adoptable_check,
    bundled_adopt,
    draft_adopt,
    draft_checked,
    draft_discard,
    draft_save,
    draft_start,
    draft_upload,
    is_current,
    next_version_number,
)
from resolve.partnerships.models import Adoption, Partnership
from resolve.partnerships.procedure_page import STAGES_LIST_ID, procedure_pathway_page, procedure_what_if
from resolve.partnerships.selectors import person_of
from resolve.procedures.loader import Problem, bundled, bundled_slugs
from resolve.procedures.models import ProcedureVersion
from resolve.web.forms import GovForm
from resolve.web.manage.base import administers, page
from resolve.web.procedure import WhatIfForm

TEMPLATES = "web/manage/procedure/"


# --- forms -----------------------------------------------------------------------------------------


class StartForm(GovForm):
    source = forms.ChoiceField(
        label=gettext_lazy("What do you want to start from?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose where to start your draft from"),
            "invalid_choice": gettext_lazy("Choose one of the procedures listed"),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = choices  # type: ignore[attr-defined]
        self.fields["source"].widget.choices = choices


class UploadForm(GovForm):
    file = forms.FileField(
        label=gettext_lazy("Your procedure file"),
        help_text=gettext_lazy("A YAML file ending .yaml or .yml, saved as UTF-8 text, smaller than 1 MB."),
        error_messages={
            "required": gettext_lazy("Select a YAML file"),
            "empty": gettext_lazy("The selected file is empty."),
            "invalid": gettext_lazy("Select a YAML file"),
        },
    )

    def _style(self, name: str, field: forms.Field) -> None:
        super()._style(name, field)
        # GOV.UK's file upload, not a text input: its own class, and its own error class
        classes = field.widget.attrs.get("class", "").replace("govuk-input--error", "govuk-file-upload--error")
        classes = classes.replace("govuk-input", "govuk-file-upload")
        field.widget.attrs["class"] = classes
        field.widget.attrs["accept"] = ".yaml,.yml"


class DraftForm(GovForm):
    text = forms.CharField(
        label=gettext_lazy("The procedure's definition"),
        help_text=gettext_lazy(
            "In YAML, as in the procedure definition guide. Check it to see any problems, with the line they are "
            "on; your text is kept either way."
        ),
        strip=False,
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": "30",
                "class": "govuk-textarea resolve-code-textarea",
                "spellcheck": "false",
                "autocapitalize": "off",
                "autocomplete": "off",
            }
        ),
    )


class ConfirmForm(GovForm):
    """A confirmation: nothing to fill in; the service refuses what cannot be done."""


# --- what the pages show ---------------------------------------------------------------------------


def _open_by_version(partnership: Partnership) -> list[dict[str, Any]]:
    """Each version the partnership's open disagreements are on, with how many, the newest first."""
    counts = dict(
        Disagreement.objects.filter(partnership=partnership, status=Disagreement.Status.OPEN)
        .values_list("procedure_version")
        .annotate(n=Count("pk"))
        .values_list("procedure_version", "n")
    )
    versions = ProcedureVersion.objects.filter(pk__in=set(counts) | {partnership.procedure_id}).order_by(
        "-created_at", "-pk"
    )
    return [
        {"version": v, "open": counts.get(v.pk, 0), "current": v.pk == partnership.procedure_id}
        for v in versions
        if counts.get(v.pk) or v.pk == partnership.procedure_id
    ]


def _staying(partnership: Partnership, new: ProcedureVersion | None = None) -> list[str]:
    """ "1 disagreement stays on version 3 until it closes": for each version other than ``new``."""
    lines = []
    for row in _open_by_version(partnership):
        version, n = row["version"], row["open"]
        if n and (new is None or version.pk != new.pk):
            lines.append(
                ngettext(
                    "%(n)d disagreement stays on version %(version)d of %(slug)s until it closes.",
                    "%(n)d disagreements stay on version %(version)d of %(slug)s until they close.",
                    n,
                )
                % {"n": n, "version": version.version, "slug": version.slug}
            )
    return lines


def _who(user: Any) -> str:
    if user is None:
        return _("an operator at the server's command line, or an account since removed")
    person = person_of(user)
    return person.name if person is not None else user.get_username()


def _problem(problem: Problem) -> str:
    where = problem.path or _("(top level)")
    if problem.line:
        return _("Line %(line)d, %(path)s: %(problem)s") % {
            "line": problem.line,
            "path": where,
            "problem": problem.message,
        }
    return _("%(path)s: %(problem)s") % {"path": where, "problem": problem.message}


def _where(text: str, problems: tuple[Problem, ...]) -> list[dict[str, Any]]:
    """Each problem with the line it is on as the text area shows it, for finding it in a box without line numbers."""
    lines = text.splitlines()
    found = []
    for problem in problems:
        shown = lines[problem.line - 1].strip() if problem.line and problem.line <= len(lines) else ""
        found.append({"problem": problem, "text": shown[:80] + ("…" if len(shown) > 80 else "")})
    return found


def _draft_context(partnership: Partnership, checked: DraftChecked | None) -> dict[str, Any]:
    if checked is None:
        return {"checked": None}
    return {"checked": checked, "draft": checked.draft, "changed_by": _who(checked.draft.updated_by)}


def _posted(request: HttpRequest) -> tuple[Any, Any]:
    """The data and files to bind a form to: a POST's (even when empty), else None (an unbound form)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _url(name: str, partnership: Partnership, *args: Any) -> str:
    return reverse(f"manage:{name}", args=[partnership.slug, *args])


def _error_page(
    request: HttpRequest,
    partnership: Partnership,
    template: str,
    *,
    form: GovForm,
    error: ResolveError,
    context: dict[str, Any],
) -> HttpResponse:
    form.refuse(error)
    return page(request, partnership, TEMPLATES + template, {**context, "form": form}, status=error.status)


# --- pages -----------------------------------------------------------------------------------------


@administers
def procedure(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    current = partnership.procedure
    adoption = Adoption.objects.filter(partnership=partnership, version=current).first() if current else None
    context = {
        "current": current,
        "adoption": adoption,
        "adopted_by": _who(adoption.adopted_by) if adoption and adoption.adopted_by_id else "",
        "versions": _open_by_version(partnership),
        "bundled": [{"slug": slug, "name": bundled(slug).name} for slug in bundled_slugs()],
        **_draft_context(partnership, draft_checked(partnership=partnership)),
    }
    return page(request, partnership, TEMPLATES + "overview.html", context)


@administers
@require_http_methods(["GET", "POST"])
def bundled_adopt_page(request: HttpRequest, partnership: Partnership, procedure: str) -> HttpResponse:
    if procedure not in bundled_slugs():
        raise Http404
    chosen = bundled(procedure)
    context = {"chosen": chosen, "slug": procedure, "staying": _staying(partnership)}
    form = ConfirmForm(_posted(request)[0])
    if request.method == "POST":
        try:
            version = bundled_adopt(partnership=partnership, slug=procedure, by=request.user)
        except NotFound:
            raise Http404 from None
        except ResolveError as error:
            return _error_page(request, partnership, "bundled_adopt.html", form=form, error=error, context=context)
        _adopted(request, partnership, version)
        return HttpResponseRedirect(_url("procedure", partnership), status=303)
    return page(request, partnership, TEMPLATES + "bundled_adopt.html", {"form": form, **context})


def _adopted(request: HttpRequest, partnership: Partnership, version: ProcedureVersion) -> None:
    partnership.refresh_from_db()
    words = [
        _("You adopted %(name)s, version %(version)d. New disagreements start on it.")
        % {"name": version.name, "version": version.version},
        *_staying(partnership, version),
    ]
    messages.success(request, " ".join(words))


@administers
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    choices = []
    if partnership.procedure is not None:
        current = partnership.procedure
        choices.append(
            (
                "current",
                _("Your current version: %(name)s, version %(version)d")
                % {"name": current.name, "version": current.version},
            )
        )
    choices += [(f"bundled:{slug}", _("Bundled: %(name)s") % {"name": bundled(slug).name}) for slug in bundled_slugs()]
    form = StartForm(_posted(request)[0], choices=choices)
    context = {"form": form, **_draft_context(partnership, draft_checked(partnership=partnership))}
    if request.method == "POST" and form.is_valid():
        try:
            draft_start(partnership=partnership, source=form.cleaned_data["source"], by=request.user)
        except ResolveError as error:
            form.refuse(error)
            return page(request, partnership, TEMPLATES + "start.html", context, status=error.status)
        messages.success(request, _("Your draft is ready: edit it below, then check it."))
        return HttpResponseRedirect(_url("procedure_draft", partnership), status=303)
    return page(request, partnership, TEMPLATES + "start.html", context, status=400 if form.errors else 200)


@administers
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = UploadForm(*_posted(request))
    context = {"form": form, **_draft_context(partnership, draft_checked(partnership=partnership))}
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        content = uploaded.read(MAX_BYTES + 1)  # never more than the limit and a byte: enough to refuse a larger file
        try:
            draft_upload(partnership=partnership, filename=uploaded.name, content=content, by=request.user)
        except ResolveError as error:
            form.refuse(error)
            return page(request, partnership, TEMPLATES + "upload.html", context, status=error.status)
        messages.success(request, _("Your file is in the draft: check it below."))
        return HttpResponseRedirect(_url("procedure_draft", partnership), status=303)
    return page(request, partnership, TEMPLATES + "upload.html", context, status=400 if form.errors else 200)


@administers
@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    checked = draft_checked(partnership=partnership)
    if request.method == "GET":
        form = DraftForm(initial={"text": checked.draft.text if checked else ""})
        return page(
            request, partnership, TEMPLATES + "draft.html", {"form": form, **_draft_context(partnership, checked)}
        )
    form = DraftForm(request.POST)
    form.is_valid()  # a text area of plain text: always valid; the service checks the text
    text = form.cleaned_data.get("text", "")
    try:
        draft_save(partnership=partnership, text=text, by=request.user)
    except ResolveError as error:
        context = _draft_context(partnership, checked)
        return _error_page(request, partnership, "draft.html", form=form, error=error, context=context)
    if request.POST.get("action") != "check":
        messages.success(request, _("Your draft is saved."))
        return HttpResponseRedirect(_url("procedure_draft", partnership), status=303)
    checked = draft_checked(partnership=partnership)
    assert checked is not None  # just saved
    if not checked.clean:
        for problem in checked.problems:
            form.refuse(ResolveError(_problem(problem), field="text"))
        context = {
            "form": form,
            "problems": _where(checked.draft.text, checked.problems),
            **_draft_context(partnership, checked),
        }
        return page(request, partnership, TEMPLATES + "draft.html", context, status=400)
    words = _("No problems found. Your draft is saved.")
    if is_current(partnership=partnership, text=checked.draft.text):
        words += " " + _("It is the same as your current version: change it before adopting it.")
    messages.success(request, words)
    return HttpResponseRedirect(_url("procedure_draft", partnership), status=303)


@administers
@require_http_methods(["GET", "POST"])
def discard(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    checked = draft_checked(partnership=partnership)
    form = ConfirmForm(_posted(request)[0])
    context = {"form": form, **_draft_context(partnership, checked)}
    if request.method == "POST":
        try:
            draft_discard(partnership=partnership, by=request.user)
        except ResolveError as error:
            return _error_page(request, partnership, "discard.html", form=form, error=error, context=context)
        messages.success(request, _("Your draft is discarded. Your adopted procedure is unchanged."))
        return HttpResponseRedirect(_url("procedure", partnership), status=303)
    return page(request, partnership, TEMPLATES + "discard.html", context)


def _adopting(partnership: Partnership, checked: DraftChecked | None) -> dict[str, Any]:
    """What adopting the draft will do, for the preview and the confirmation; ``refused`` when it cannot."""
    context = _draft_context(partnership, checked)
    if checked is None or checked.procedure is None:
        return context
    text = checked.draft.text
    refused = None
    try:
        adoptable_check(partnership=partnership, procedure=checked.procedure, text=text, origin=checked.draft.origin)
    except ResolveError as error:
        refused = error.message
    return {
        **context,
        "procedure": checked.procedure,
        "number": next_version_number(partnership=partnership, procedure=checked.procedure, text=text),
        "staying": _staying(partnership),
        "refused": refused,
    }


@administers
def preview(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return page(
        request, partnership, TEMPLATES + "preview.html", _adopting(partnership, draft_checked(partnership=partnership))
    )


@administers
def preview_pathway(request: HttpRequest, partnership: Partnership, pathway: str) -> HttpResponse:
    checked = draft_checked(partnership=partnership)
    if checked is None or checked.procedure is None:
        messages.info(request, _("There is no draft without problems to preview: check your draft first."))
        return HttpResponseRedirect(_url("procedure_draft", partnership), status=303)
    try:
        shown = procedure_pathway_page(partnership=partnership, procedure=checked.procedure, pathway=pathway)
    except NotFound:
        raise Http404 from None
    asked = any(key.startswith("start") for key in request.GET)
    form = WhatIfForm(request.GET if asked else None, page=shown)
    what_if = None
    if asked and form.is_valid():
        try:
            what_if = procedure_what_if(
                partnership=partnership, procedure=checked.procedure, pathway=pathway, **form.asked()
            )
        except ResolveError as error:
            form.refuse(error)
    context = {"page": shown, "form": form, "what_if": what_if, "stages_list_id": STAGES_LIST_ID}
    return page(request, partnership, TEMPLATES + "preview_pathway.html", context, status=400 if form.errors else 200)


@administers
@require_http_methods(["GET", "POST"])
def adopt(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    checked = draft_checked(partnership=partnership)
    form = ConfirmForm(_posted(request)[0])
    context = {"form": form, **_adopting(partnership, checked)}
    if request.method == "POST":
        try:
            version = draft_adopt(partnership=partnership, by=request.user)
        except ResolveError as error:
            return _error_page(request, partnership, "adopt.html", form=form, error=error, context=context)
        _adopted(request, partnership, version)
        return HttpResponseRedirect(_url("procedure", partnership), status=303)
    return page(request, partnership, TEMPLATES + "adopt.html", context)


urlpatterns = [
    path("procedure/", procedure, name="procedure"),
    path("procedure/adopt/<slug:procedure>/", bundled_adopt_page, name="procedure_bundled_adopt"),
    path("procedure/start/", start, name="procedure_start"),
    path("procedure/upload/", upload, name="procedure_upload"),
    path("procedure/draft/", draft, name="procedure_draft"),
    path("procedure/draft/discard/", discard, name="procedure_draft_discard"),
    path("procedure/draft/preview/", preview, name="procedure_draft_preview"),
    path("procedure/draft/preview/<slug:pathway>/", preview_pathway, name="procedure_draft_preview_pathway"),
    path("procedure/draft/adopt/", adopt, name="procedure_draft_adopt"),
]
