"""Administration pages: someone leaving (their open work handed over, then deactivated) and restoring them.

``people/<person>/leave/`` shows the person's open work (by reference and stage, never the child),
offers their line manager or another active person to take it over, and a confirmation; one POST is
one ``person_leave``. For someone who has left, the same address says so and offers ``Restore``
(``people/<person>/restore/``, a POST).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.core.errors import ResolveError
from resolve.disagreements.services import person_leave, person_restore
from resolve.disagreements.work import left_at, open_work_of
from resolve.partnerships.models import Partnership, Person
from resolve.web.act.fields import PersonField
from resolve.web.forms import GovForm
from resolve.web.manage.base import administers, page


class LeaveForm(GovForm):
    successor = PersonField(
        label=gettext_lazy("Who takes over their open work?"),
        help_text=gettext_lazy("Their line manager, or another active person in the partnership."),
        empty_label=gettext_lazy("Choose a person"),
        required=False,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, hand over their open work and deactivate them"),
        help_text=gettext_lazy("They will not be able to sign in. Their records stay, with their name."),
        error_messages={"required": gettext_lazy("Confirm that they are leaving")},
    )

    def __init__(self, *args: Any, person: Person, needs_successor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["successor"]
        assert isinstance(field, PersonField)
        field.queryset = (
            Person.objects.filter(partnership=person.partnership_id, is_active=True)
            .exclude(pk=person.pk)
            .select_related("agency")
            .order_by("name", "pk")
        )
        field.required = needs_successor
        manager = person.line_manager
        if manager is not None and manager.is_active and manager.partnership_id == person.partnership_id:
            field.initial = manager.pk


def _person(partnership: Partnership, pk: UUID) -> Person:
    found = (
        Person.objects.filter(partnership=partnership, pk=pk).select_related("agency", "line_manager", "user").first()
    )
    if found is None:
        raise Http404
    return found


def _leave_url(partnership: Partnership, person: Person) -> str:
    return reverse("manage:person_leave", kwargs={"partnership": partnership.slug, "person": person.pk})


@administers
def leave(request: HttpRequest, partnership: Partnership, person: UUID) -> HttpResponse:
    """GET: their open work and who takes it over. POST: hand it over and deactivate them."""
    found = _person(partnership, person)
    if not found.is_active:
        return page(
            request,
            partnership,
            "web/manage/people/leave_left.html",
            {"person": found, "left_at": left_at(found)},
        )
    work = open_work_of(person=found)
    form = LeaveForm(request.POST if request.method == "POST" else None, person=found, needs_successor=not work.empty)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            successor = form.cleaned_data["successor"]
            try:
                done = person_leave(person=found, successor=successor, by=request.user)
            except ResolveError as error:
                form.refuse(error)
                status = error.status
            else:
                if done.successor is not None and done.disagreements:
                    messages.success(
                        request,
                        _("%(name)s has left. Their open work on %(count)d disagreements was handed to %(successor)s.")
                        % {"name": found.name, "count": done.disagreements, "successor": done.successor.name},
                    )
                else:
                    messages.success(request, _("%(name)s has left and can no longer sign in.") % {"name": found.name})
                return HttpResponseRedirect(_leave_url(partnership, found), status=303)
        else:
            status = 400
    reports = list(Person.objects.filter(line_manager=found, is_active=True).order_by("name", "pk"))
    return page(
        request,
        partnership,
        "web/manage/people/leave.html",
        {
            "person": found,
            "work": work,
            "form": form,
            "reports": reports,
            "roles_held": list(found.role_assignments.filter(partnership=partnership).order_by("role")),
        },
        status=status,
    )


@administers
def restore(request: HttpRequest, partnership: Partnership, person: UUID) -> HttpResponse:
    """POST: the person is active again, with their account."""
    found = _person(partnership, person)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        person_restore(person=found, by=request.user)
    except ResolveError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is active again and can sign in.") % {"name": found.name})
    return HttpResponseRedirect(_leave_url(partnership, found), status=303)


urlpatterns = [
    path("people/<uuid:person>/leave/", leave, name="person_leave"),
    path("people/<uuid:person>/restore/", restore, name="person_restore"),
]
