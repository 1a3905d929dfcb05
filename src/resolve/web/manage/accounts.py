"""Administration pages: the partnership's administrators, sign-in invitations, and new partnerships.

``/manage/new/`` (a superuser only) makes a partnership with its first administrator. Under
``/manage/<partnership>/``: ``administrators/`` lists who administers it and adds or removes one;
``people/<person>/invite/`` invites one person and ``people/invite/`` everyone not yet invited.
Each change is one service call (resolve.accounts.administrators, resolve.accounts.services).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.accounts.administrators import administrator_add, administrator_remove, partnership_create
from resolve.accounts.selectors import administrators_of, single_sign_on_for
from resolve.accounts.services import account_invite, people_invite
from resolve.calendar import NATIONS
from resolve.core.errors import NotFound, ResolveError
from resolve.partnerships.models import Partnership, Person
from resolve.web.forms import GovForm
from resolve.web.manage.base import administers, page


class SeeOther(HttpResponseRedirect):
    """POST-redirect-GET: the browser fetches the next page with a GET."""

    status_code = 303


def _reverse_or(name: str, fallback: str, **kwargs: Any) -> str:
    """A page of another section when it exists yet, else ``fallback`` (a page of this section)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return reverse(fallback, kwargs={"partnership": kwargs["partnership"]})


# ----------------------------------------------------------------------------- a new partnership


class PartnershipForm(GovForm):
    name = forms.CharField(label=gettext_lazy("Partnership's name"), max_length=200)
    slug = forms.CharField(
        label=gettext_lazy("Short name for addresses"),
        max_length=80,
        help_text=gettext_lazy(
            "Lower-case letters, digits and hyphens, such as north-east-lincolnshire. It appears in "
            "the addresses of its pages and cannot be changed here later."
        ),
    )
    nation = forms.ChoiceField(
        label=gettext_lazy("Nation"),
        choices=list(NATIONS.items()),
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Whose bank holidays its working days follow."),
        error_messages={"required": gettext_lazy("Choose the nation whose bank holidays the partnership keeps.")},
    )
    reference_prefix = forms.CharField(
        label=gettext_lazy("Reference prefix (optional)"),
        required=False,
        max_length=8,
        help_text=gettext_lazy(
            "1 to 8 capital letters or digits before each disagreement's short reference, such as NEL "
            "in NEL-2026-0042. Leave it empty to use the initials of the short name."
        ),
    )
    administrator_name = forms.CharField(label=gettext_lazy("First administrator's full name"), max_length=150)
    administrator_email = forms.CharField(
        label=gettext_lazy("First administrator's e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=gettext_lazy(
            "They are sent a link to choose a password. Someone who already has an account is added with it."
        ),
    )


def _superuser(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


@login_required
def partnership_add(request: HttpRequest) -> HttpResponse:
    """``/manage/new/``: a superuser makes a partnership and its first administrator."""
    if not _superuser(request):
        return render(request, "web/manage/refused.html", status=403)
    form = PartnershipForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                partnership = partnership_create(**form.cleaned_data, by=request.user)
            except ResolveError as error:
                form.refuse(error)
                status = error.status
            else:
                messages.success(
                    request,
                    _("%(name)s has been made; its first administrator has been sent an e-mail to sign in.")
                    % {"name": partnership.name},
                )
                return SeeOther(reverse("manage:overview", kwargs={"partnership": partnership.slug}))
        else:
            status = 400
    return render(request, "web/manage/new_partnership.html", {"form": form}, status=status)


# ----------------------------------------------------------------------------- administrators


class AdministratorForm(GovForm):
    email = forms.CharField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Needed when they have no account on Resolve yet."),
    )


@administers
def administrators(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return page(
        request,
        partnership,
        "web/manage/administrators/list.html",
        {"administrators": administrators_of(partnership), "me": request.user.pk},
    )


@administers
def administrator_add_page(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = AdministratorForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                administrator_add(partnership=partnership, by=request.user, **form.cleaned_data)
            except ResolveError as error:
                form.refuse(error)
                status = error.status
            else:
                messages.success(request, _("Administrator added. They have been sent an e-mail to sign in."))
                return SeeOther(reverse("manage:administrators", kwargs={"partnership": partnership.slug}))
        else:
            status = 400
    return page(request, partnership, "web/manage/administrators/add.html", {"form": form}, status=status)


class ConfirmForm(GovForm):
    """A confirmation page's form: nothing to fill in but the button."""


@administers
def administrator_remove_page(request: HttpRequest, partnership: Partnership, account: int) -> HttpResponse:
    found = next((row for row in administrators_of(partnership) if row.user.pk == account), None)
    if found is None:
        raise Http404
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            administrator_remove(partnership=partnership, account=found.user, by=request.user)
        except NotFound:
            raise Http404 from None
        except ResolveError as error:
            form.refuse(error)
            status = error.status
        else:
            messages.success(request, _("%(name)s no longer administers this partnership.") % {"name": found.name})
            return SeeOther(reverse("manage:administrators", kwargs={"partnership": partnership.slug}))
    context = {
        "row": found,
        "form": form,
        "yourself": found.user.pk == request.user.pk,
        "last": partnership.administrators.count() <= 1,
    }
    return page(request, partnership, "web/manage/administrators/remove.html", context, status=status)


# ----------------------------------------------------------------------------- invitations


def _person(partnership: Partnership, pk: UUID) -> Person:
    found = Person.objects.filter(partnership=partnership, pk=pk).select_related("agency", "user").first()
    if found is None:
        raise Http404
    return found


@administers
def person_invite(request: HttpRequest, partnership: Partnership, person: UUID) -> HttpResponse:
    """Confirm, then make the person's account and e-mail them how to sign in."""
    who = _person(partnership, person)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    back = _reverse_or("manage:person", "manage:people_invite", partnership=partnership.slug, person=who.pk)
    if request.method == "POST" and form.is_valid():
        try:
            account_invite(person=who, by=request.user)
        except NotFound:
            raise Http404 from None
        except ResolveError as error:
            form.refuse(error)
            status = error.status
        else:
            messages.success(request, _("%(name)s has been sent an invitation to sign in.") % {"name": who.name})
            return SeeOther(back)
    context = {
        "person": who,
        "form": form,
        "provider": single_sign_on_for(email=who.email, partnership=partnership),
        "back": back,
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    return page(request, partnership, "web/manage/people/invite.html", context, status=status)


@administers
def people_invite_page(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    """Everyone active without an account: how many, then invite them all in one step."""
    if request.method == "POST":
        try:
            done = people_invite(partnership=partnership, by=request.user)
        except ResolveError as error:
            form = ConfirmForm({})
            form.is_valid()
            form.refuse(error)
            return _people_invite_page(request, partnership, form, status=error.status)
        if done.invited:
            messages.success(
                request,
                _("Invitations sent: %(n)s.") % {"n": len(done.invited)},
            )
        if done.not_invited:
            messages.warning(
                request,
                _("Not invited: %(people)s.")
                % {"people": "; ".join(f"{person.name} ({reason})" for person, reason in done.not_invited)},
            )
        if not done.invited and not done.not_invited:
            messages.info(request, _("Everyone already has an account: nobody was invited."))
        return SeeOther(reverse("manage:people_invite", kwargs={"partnership": partnership.slug}))
    return _people_invite_page(request, partnership, ConfirmForm())


def _people_invite_page(
    request: HttpRequest, partnership: Partnership, form: ConfirmForm, *, status: int = 200
) -> HttpResponse:
    waiting = list(
        Person.objects.filter(partnership=partnership, is_active=True, user__isnull=True)
        .select_related("agency")
        .order_by("name", "pk")
    )
    through = {}
    for person in waiting:
        provider = single_sign_on_for(email=person.email, partnership=partnership)
        through[person.pk] = provider.name if provider else ""
    rows = [(person, through[person.pk]) for person in waiting]
    context = {"rows": rows, "form": form}
    return page(request, partnership, "web/manage/people/invite_everyone.html", context, status=status)


#: addresses under /manage/ itself (adding a partnership: superusers only)
installation_patterns: list[URLPattern] = [
    path("new/", partnership_add, name="partnership_add"),
]
#: addresses under /manage/<partnership>/
urlpatterns: list[URLPattern] = [
    path("administrators/", administrators, name="administrators"),
    path("administrators/add/", administrator_add_page, name="administrator_add"),
    path("administrators/<int:account>/remove/", administrator_remove_page, name="administrator_remove"),
    path("people/invite/", people_invite_page, name="people_invite"),
    path("people/<uuid:person>/invite/", person_invite, name="person_invite"),
]
