"""Administration pages: the partnership roles the adopted procedure names, and who holds them.

``roles/`` lists each role (what it is and does, who holds it), flags a role with nobody active in
it, and has a form per role to add a holder (``role_assign``). ``roles/holders/<id>/remove/`` asks
for a confirmation, then removes one holder (``role_unassign``). Roles held that the procedure no
longer names are listed apart, so that they can be removed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.core.errors import NotFound, ResolveError
from resolve.partnerships.models import Partnership, Person
from resolve.partnerships.roles import RolesPage, assignment_of, role_unassign, roles_for
from resolve.partnerships.services import role_assign
from resolve.web.act.fields import PersonField
from resolve.web.forms import GovForm
from resolve.web.manage.base import administers, page


class HolderForm(GovForm):
    person = PersonField(label=gettext_lazy("Add someone to this role"), empty_label=gettext_lazy("Choose a person"))

    def __init__(self, *args: Any, partnership: Partnership, role: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=role, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, PersonField)
        field.queryset = (
            Person.objects.filter(partnership=partnership, is_active=True)
            .exclude(role_assignments__role=role)
            .select_related("agency")
            .order_by("name", "pk")
        )


class RemoveForm(GovForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, take them out of this role"),
        error_messages={"required": gettext_lazy("Confirm that they no longer hold this role")},
    )


def _roles_page(
    request: HttpRequest, partnership: Partnership, *, failed: tuple[str, HolderForm] | None = None, status: int = 200
) -> HttpResponse:
    shown: RolesPage = roles_for(partnership)
    forms_by_role = {r.slug: HolderForm(partnership=partnership, role=r.slug) for r in shown.roles}
    if failed is not None:
        forms_by_role[failed[0]] = failed[1]
    rows = [(role, forms_by_role[role.slug]) for role in shown.roles]
    return page(
        request,
        partnership,
        "web/manage/roles/roles.html",
        {"roles": shown, "rows": rows, "form": failed[1] if failed is not None else None},
        status=status,
    )


@administers
def roles(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return _roles_page(request, partnership)


@administers
def role_add(request: HttpRequest, partnership: Partnership, role: str) -> HttpResponse:
    """POST: the chosen active person of the partnership holds ``role`` (one the procedure names)."""
    named = {r.slug: r for r in roles_for(partnership).roles}
    if role not in named:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = HolderForm(request.POST, partnership=partnership, role=role)
    if not form.is_valid():
        return _roles_page(request, partnership, failed=(role, form), status=400)
    person: Person = form.cleaned_data["person"]
    try:
        role_assign(person=person, role=role, by=request.user)
    except ResolveError as error:
        form.refuse(error)
        return _roles_page(request, partnership, failed=(role, form), status=error.status)
    messages.success(
        request, _("%(name)s now holds the role %(role)s.") % {"name": person.name, "role": named[role].name}
    )
    return HttpResponseRedirect(reverse("manage:roles", kwargs={"partnership": partnership.slug}), status=303)


@administers
def role_remove(request: HttpRequest, partnership: Partnership, assignment: int) -> HttpResponse:
    """GET: confirm. POST: the person no longer holds the role."""
    try:
        held = assignment_of(partnership, assignment)
    except NotFound:
        raise Http404 from None
    names = {r.slug: r.name for r in roles_for(partnership).roles}
    form = RemoveForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                role_unassign(partnership=partnership, assignment=held, by=request.user)
            except ResolveError as error:
                form.refuse(error)
                status = error.status
            else:
                messages.success(
                    request,
                    _("%(name)s no longer holds the role %(role)s.")
                    % {"name": held.person.name, "role": names.get(held.role, held.role)},
                )
                return HttpResponseRedirect(
                    reverse("manage:roles", kwargs={"partnership": partnership.slug}), status=303
                )
        else:
            status = 400
    return page(
        request,
        partnership,
        "web/manage/roles/remove.html",
        {"held": held, "role_name": names.get(held.role, held.role), "named": held.role in names, "form": form},
        status=status,
    )


urlpatterns = [
    path("roles/", roles, name="roles"),
    path("roles/<slug:role>/add/", role_add, name="role_add"),
    path("roles/holders/<int:assignment>/remove/", role_remove, name="role_remove"),
]
