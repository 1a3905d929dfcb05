"""Administration pages: the partnership's people (list, add, change) and adding many from a file.

Adding many is two steps. The upload (``people_import``) reads and checks the whole file: any bad
row, and the page names every problem with its row and column (400), nothing saved. A good file's
rows are kept in the administrator's session under the file's SHA-256 digest, and the check page
(``people_import_check``) shows what would be added; its button posts the digest back, and the rows
are checked again and saved in one transaction. The session, not the page: an XLSX file cannot
travel through a hidden field within Django's request size limit, the administrator does not pick
the file twice, and nobody's details go into an address. The session lasts 30 minutes at most and
the rows leave it once saved.
"""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.core.errors import NotFound, ResolveError
from resolve.partnerships.importing import (
    COLUMNS,
    MAX_ROWS,
    FileRow,
    ImportProblems,
    people_file_check,
    people_file_read,
    people_import,
    people_template,
)
from resolve.partnerships.models import Partnership, Person
from resolve.partnerships.people import (
    agencies_choosable,
    agency_of,
    levels_of,
    people_list_for,
    person_add,
    person_change,
    person_in,
    roles_held_by,
    roles_of,
)
from resolve.web.forms import GovForm
from resolve.web.manage.base import administers, page

PER_PAGE = 50
TEAM = "team"  # the agency filter's value for the partnership's own team (people in no agency)
SESSION_KEY = "manage_people_import"


def _choices(form: GovForm, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class PeopleFilterForm(GovForm):
    q = forms.CharField(label=gettext_lazy("Search by name"), required=False, max_length=200)
    agency = forms.ChoiceField(label=gettext_lazy("Agency"), required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("All agencies")), (TEAM, _("The partnership's own team"))]
        choices += [(str(row.pk), row.name) for row in partnership.agencies.order_by("name")]
        _choices(self, "agency", choices)


class PersonForm(GovForm):
    name = forms.CharField(label=gettext_lazy("Full name"), required=False)
    email = forms.CharField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("Their work address: Resolve sends their messages and sign-in invitation here."),
        required=False,
    )
    agency = forms.ChoiceField(label=gettext_lazy("Agency"), required=False)
    job_title = forms.CharField(label=gettext_lazy("Job title"), required=False)
    level = forms.ChoiceField(
        label=gettext_lazy("Seniority level"),
        help_text=gettext_lazy("Their level in the seniority matrix of the adopted procedure (1 is a practitioner)."),
        required=False,
    )
    line_manager = forms.ChoiceField(label=gettext_lazy("Line manager"), required=False)
    phone = forms.CharField(label=gettext_lazy("Telephone (optional)"), required=False)
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Partnership roles (optional)"),
        help_text=gettext_lazy("Select any roles of the procedure this person holds."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, partnership: Partnership, person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = list(agencies_choosable(partnership))
        if person is not None and person.agency is not None and person.agency not in agencies:
            agencies.append(person.agency)  # a retired agency they are still in
        _choices(
            self, "agency", [("", _("None: the partnership's own team"))] + [(str(a.pk), a.name) for a in agencies]
        )
        _choices(
            self,
            "level",
            [("", _("No level"))]
            + [(str(level), f"{level}: {name}" if name else str(level)) for level, name in levels_of(partnership)],
        )
        managers = Person.objects.filter(partnership=partnership, is_active=True).select_related("agency")
        if person is not None:
            managers = managers.exclude(pk=person.pk)
        _choices(
            self,
            "line_manager",
            [("", _("Nobody"))]
            + [
                (str(p.pk), f"{p.name}, {p.job_title}" + (f" ({p.agency.name})" if p.agency else ""))
                for p in managers.order_by("name", "pk")
            ],
        )
        roles = roles_of(partnership)
        _choices(self, "roles", roles)
        if not roles:
            del self.fields["roles"]
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "class": "govuk-input--width-20"})

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.setdefault("roles", [])
        return {
            key: (value or None) if key in ("agency", "line_manager", "level") else value for key, value in data.items()
        }


class UploadForm(GovForm):
    file = forms.FileField(
        label=gettext_lazy("Upload a file"),
        help_text=gettext_lazy("A CSV or XLSX file smaller than 2 MB, with at most 5000 people."),
        required=False,
    )

    def _style(self, name: str, field: forms.Field) -> None:
        super()._style(name, field)
        if name == "file":  # GOV.UK's file upload, not a text input
            classes = field.widget.attrs.get("class", "").replace("govuk-input--error", "govuk-file-upload--error")
            field.widget.attrs["class"] = classes.replace("govuk-input", "govuk-file-upload")
            field.widget.attrs["accept"] = (
                ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )


def _person_url(partnership: Partnership, person: Person) -> str:
    return reverse("manage:person", kwargs={"partnership": partnership.slug, "person": person.pk})


def _found(partnership: Partnership, person: UUID) -> Person:
    try:
        return person_in(partnership, person)
    except NotFound:
        raise Http404 from None


@administers
def people(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = PeopleFilterForm(request.GET, partnership=partnership)
    if not form.is_valid():
        return page(request, partnership, "web/manage/people/list.html", {"form": form, "listing": None}, status=400)
    chosen = form.cleaned_data["agency"]
    agency = agency_of(partnership, chosen) if chosen and chosen != TEAM else None
    found = people_list_for(partnership, q=form.cleaned_data["q"], agency=agency, team_only=chosen == TEAM)
    listing = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return page(request, partnership, "web/manage/people/list.html", {"form": form, "listing": listing})


@administers
def person_add_page(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    context: dict[str, Any] = {"person": None}
    if request.method != "POST":
        initial = {"agency": request.GET.get("agency", "")}
        context["form"] = PersonForm(initial=initial, partnership=partnership)
        return page(request, partnership, "web/manage/people/form.html", context)
    form = PersonForm(request.POST, partnership=partnership)
    context["form"] = form
    status = 400
    if form.is_valid():
        try:
            person = person_add(partnership=partnership, by=request.user, **form.values())
        except ResolveError as error:
            form.refuse(error)
            status = error.status
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return HttpResponseRedirect(_person_url(partnership, person), status=303)
    return page(request, partnership, "web/manage/people/form.html", context, status=status)


@administers
def person_page(request: HttpRequest, partnership: Partnership, person: UUID) -> HttpResponse:
    found = _found(partnership, person)
    names = dict(roles_of(partnership))
    levels = dict(levels_of(partnership))
    return page(
        request,
        partnership,
        "web/manage/people/person.html",
        {
            "person": found,
            "roles": [names.get(slug, slug) for slug in roles_held_by(found)],
            "level_name": levels.get(found.level, "") if found.level else "",
        },
    )


@administers
def person_change_page(request: HttpRequest, partnership: Partnership, person: UUID) -> HttpResponse:
    found = _found(partnership, person)
    initial = {
        "name": found.name,
        "email": found.email,
        "agency": str(found.agency_id or ""),
        "job_title": found.job_title,
        "level": str(found.level or ""),
        "line_manager": str(found.line_manager_id or ""),
        "phone": found.phone,
        "roles": roles_held_by(found),
    }
    context: dict[str, Any] = {"person": found}
    if request.method != "POST":
        context["form"] = PersonForm(initial=initial, partnership=partnership, person=found)
        return page(request, partnership, "web/manage/people/form.html", context)
    form = PersonForm(request.POST, initial=initial, partnership=partnership, person=found)
    context["form"] = form
    status = 400
    if form.is_valid():
        try:
            changed = person_change(partnership=partnership, person=found, by=request.user, **form.values())
        except ResolveError as error:
            form.refuse(error)
            status = error.status
        else:
            messages.success(request, _("%(name)s's details were saved.") % {"name": changed.name})
            return HttpResponseRedirect(_person_url(partnership, changed), status=303)
    return page(request, partnership, "web/manage/people/form.html", context, status=status)


# --- many people from a file -------------------------------------------------------------------------


def _stored(request: HttpRequest) -> dict[str, Any] | None:
    kept = request.session.get(SESSION_KEY)
    return kept if isinstance(kept, dict) and "digest" in kept and "rows" in kept else None


def _rows(kept: dict[str, Any]) -> list[FileRow]:
    return [FileRow(number=int(n), cells={str(k): str(v) for k, v in cells.items()}) for n, cells in kept["rows"]]


def _upload_page(
    request: HttpRequest, partnership: Partnership, form: UploadForm, *, problems: Any = None, status: int = 200
) -> HttpResponse:
    return page(
        request,
        partnership,
        "web/manage/people/import.html",
        {
            "form": form,
            "problems": problems,
            "columns": COLUMNS,
            "most": MAX_ROWS,
        },
        status=status,
    )


@administers
def people_import_page(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, partnership, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    form.is_valid()
    upload = request.FILES.get("file")
    if upload is None:
        form.refuse(ResolveError(_("Select a CSV or XLSX file"), field="file"))
        return _upload_page(request, partnership, form, status=400)
    content = upload.read(2 * 1024 * 1024 + 1)
    try:
        read = people_file_read(name=upload.name or "", content=content)
        people_file_check(partnership=partnership, rows=read.rows)
    except ImportProblems as error:
        form.refuse(error)
        return _upload_page(request, partnership, form, problems=error.problems, status=400)
    except ResolveError as error:
        form.refuse(error)
        return _upload_page(request, partnership, form, status=error.status)
    request.session[SESSION_KEY] = {
        "partnership": str(partnership.pk),
        "digest": hashlib.sha256(content).hexdigest(),
        "rows": [[row.number, row.cells] for row in read.rows],
        "ignored": read.ignored,
    }
    return HttpResponseRedirect(
        reverse("manage:people_import_check", kwargs={"partnership": partnership.slug}), status=303
    )


@administers
def people_import_check(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    kept = _stored(request)
    if kept is not None and kept.get("partnership") != str(partnership.pk):
        kept = None
    context: dict[str, Any] = {"kept": kept is not None}
    if kept is None:
        return page(request, partnership, "web/manage/people/import_check.html", context)
    rows = _rows(kept)
    form = UploadForm(data={}, files={})
    form.is_valid()  # bound and clean, so that a problem found now can be added to it
    try:
        if request.method == "POST":
            if request.POST.get("digest") != kept["digest"]:
                form.add_error(None, _("A different file was uploaded since this page was shown: check it below."))
            else:
                made = people_import(partnership=partnership, rows=rows, by=request.user)
                del request.session[SESSION_KEY]
                messages.success(
                    request,
                    _("%(n)s people were added.") % {"n": len(made)} if len(made) != 1 else _("1 person was added."),
                )
                return HttpResponseRedirect(
                    reverse("manage:people", kwargs={"partnership": partnership.slug}), status=303
                )
        plans = people_file_check(partnership=partnership, rows=rows)
    except ImportProblems as error:
        # the partnership changed since the file was checked (someone added a person with an e-mail in it)
        form.refuse(error)
        return _upload_page(request, partnership, form, problems=error.problems, status=400)
    except ResolveError as error:
        form.refuse(error)
        return _upload_page(request, partnership, form, status=error.status)
    context.update(
        {
            "form": form,
            "plans": plans,
            "digest": kept["digest"],
            "ignored": kept.get("ignored", []),
            "agencies": len({p.agency.pk for p in plans if p.agency}),
            "with_roles": sum(1 for p in plans if p.roles),
            "role_names": dict(roles_of(partnership)),
        }
    )
    status = 400 if form.errors else 200
    return page(request, partnership, "web/manage/people/import_check.html", context, status=status)


@administers
def people_template_page(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    kind = request.GET.get("format", "")
    if kind not in ("csv", "xlsx"):
        return page(request, partnership, "web/manage/people/template.html", {"columns": COLUMNS})
    content = people_template(partnership=partnership, kind=kind)
    content_type = (
        "text/csv; charset=utf-8"
        if kind == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-people.{kind}"'
    return response


urlpatterns = [
    path("people/", people, name="people"),
    path("people/add/", person_add_page, name="person_add"),
    path("people/import/", people_import_page, name="people_import"),
    path("people/import/check/", people_import_check, name="people_import_check"),
    path("people/template/", people_template_page, name="people_template"),
    path("people/<uuid:person>/", person_page, name="person"),
    path("people/<uuid:person>/change/", person_change_page, name="person_change"),
]
