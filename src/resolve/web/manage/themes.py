"""Administration pages: the partnership's list of learning themes (list, add, retire and restore; never delete).

Each page that changes something makes one service call (``resolve.partnerships.themes``); bad input
is shown with GOV.UK's error summary and a 4xx, and a change is followed by a 303 to the list.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.core.errors import NotFound, ResolveError
from resolve.partnerships.models import LearningTheme, Partnership
from resolve.partnerships.themes import theme_add, theme_of, theme_restore, theme_retire, themes_of
from resolve.web.forms import GovForm
from resolve.web.manage.base import administers, page


class ThemeForm(GovForm):
    """The fields are the service's keywords; the service checks the lengths and the name's uniqueness."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        help_text=gettext_lazy("Such as Information sharing, or Thresholds and referral."),
        required=False,
    )
    description = forms.CharField(
        label=gettext_lazy("Description (optional)"),
        help_text=gettext_lazy("What the theme covers, for the handlers who choose it."),
        widget=forms.Textarea(attrs={"rows": "3"}),
        required=False,
    )


def _list_url(partnership: Partnership) -> str:
    return reverse("manage:themes", kwargs={"partnership": partnership.slug})


def _found(partnership: Partnership, theme: int) -> LearningTheme:
    try:
        return theme_of(partnership, theme)
    except NotFound:
        raise Http404 from None


@administers
def themes(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    found = list(themes_of(partnership))
    return page(
        request,
        partnership,
        "web/manage/themes/list.html",
        {"themes": found, "active": sum(1 for t in found if t.retired_at is None)},
    )


@administers
def theme_add_page(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    if request.method != "POST":
        return page(request, partnership, "web/manage/themes/add.html", {"form": ThemeForm()})
    form = ThemeForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            theme = theme_add(partnership=partnership, by=request.user, **form.cleaned_data)
        except ResolveError as error:
            form.refuse(error)
            status = error.status
        else:
            messages.success(request, _("%(name)s was added.") % {"name": theme.name})
            return HttpResponseRedirect(_list_url(partnership), status=303)
    return page(request, partnership, "web/manage/themes/add.html", {"form": form}, status=status)


def _retire_or_restore(request: HttpRequest, partnership: Partnership, theme: int, *, retire: bool) -> HttpResponse:
    found = _found(partnership, theme)
    context: dict[str, Any] = {"theme": found, "retire": retire}
    if request.method == "POST":
        service = theme_retire if retire else theme_restore
        try:
            service(partnership=partnership, theme=found, by=request.user)
        except ResolveError as error:
            context["problem"] = error.message
            return page(request, partnership, "web/manage/themes/retire.html", context, status=error.status)
        done = _("%(name)s was retired.") if retire else _("%(name)s was restored.")
        messages.success(request, done % {"name": found.name})
        return HttpResponseRedirect(_list_url(partnership), status=303)
    return page(request, partnership, "web/manage/themes/retire.html", context)


@administers
def theme_retire_page(request: HttpRequest, partnership: Partnership, theme: int) -> HttpResponse:
    return _retire_or_restore(request, partnership, theme, retire=True)


@administers
def theme_restore_page(request: HttpRequest, partnership: Partnership, theme: int) -> HttpResponse:
    return _retire_or_restore(request, partnership, theme, retire=False)


urlpatterns = [
    path("themes/", themes, name="themes"),
    path("themes/add/", theme_add_page, name="theme_add"),
    path("themes/<int:theme>/retire/", theme_retire_page, name="theme_retire"),
    path("themes/<int:theme>/restore/", theme_restore_page, name="theme_restore"),
]
