"""Oversight pages: the learning log (themes over time, the gaps and training needs recorded, what was done).

``learning/`` reads the log for a period chosen with a GET form (the last four quarters unless
chosen); ``learning/themes/<theme>/respond/`` records what the practice-improvement group did
about a theme (POST, one service call). Each calls one selector or service of
``resolve.reports.learning``, which checks who asks again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.core.errors import NotFound, ResolveError
from resolve.partnerships.models import Partnership
from resolve.reports.access import oversight_check
from resolve.reports.learning import default_period, learning_log, learning_response_record, response_theme
from resolve.reports.models import LearningResponse
from resolve.web.forms import DateField, GovForm
from resolve.web.oversight.base import oversees, page


class PeriodForm(GovForm):
    start = DateField(
        label=gettext_lazy("From"),
        what=gettext_lazy("The start of the period"),
        help_text=gettext_lazy("For example, 1 4 2026"),
    )
    end = DateField(
        label=gettext_lazy("To"),
        what=gettext_lazy("The end of the period"),
        help_text=gettext_lazy("For example, 31 3 2027"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must be the same as or after its start"))
        return data


class ResponseForm(GovForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("What did the group do?"),
        choices=LearningResponse.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select what the group did"),
            "invalid_choice": gettext_lazy("Select what the group did"),
        },
    )
    text = forms.CharField(
        label=gettext_lazy("What was done or decided"),
        help_text=gettext_lazy("Such as the action agreed, the training arranged or the policy changed, and by whom."),
        widget=forms.Textarea,
        required=False,
    )


def _log_url(partnership: Partnership) -> str:
    return reverse("oversight:learning", kwargs={"partnership": partnership.slug})


@oversees
def learning(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    start, end = default_period(timezone.localdate())
    chosen = any(key.startswith(("start", "end")) for key in request.GET)
    form = PeriodForm(request.GET if chosen else None, initial={"start": start, "end": end})
    status = 200
    log = None
    if chosen and not form.is_valid():
        status = 400
    else:
        if chosen:
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        try:
            log = learning_log(user=request.user, partnership=partnership, start=start, end=end)
        except NotFound:
            raise Http404 from None
        except ResolveError as error:
            if not form.is_bound:
                raise
            form.refuse(error)
            status = error.status
    context = {"form": form, "log": log, "start": start, "end": end}
    return page(request, partnership, "web/oversight/learning.html", context, status=status)


@oversees
def learning_respond(request: HttpRequest, partnership: Partnership, theme: int) -> HttpResponse:
    try:
        found = response_theme(user=request.user, partnership=partnership, theme_id=theme)
        overseer = oversight_check(user=request.user, partnership=partnership)
    except NotFound:
        raise Http404 from None
    form = ResponseForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                learning_response_record(
                    user=request.user, partnership=partnership, theme_id=found.pk, **form.cleaned_data
                )
            except NotFound:
                raise Http404 from None
            except ResolveError as error:
                form.refuse(error)
                status = error.status
            else:
                messages.success(request, _("What the group did about %(theme)s was recorded.") % {"theme": found.name})
                return HttpResponseRedirect(_log_url(partnership) + "#responses", status=303)
    context = {"form": form, "theme": found, "may_respond": overseer.person is not None}
    return page(request, partnership, "web/oversight/learning_respond.html", context, status=status)


urlpatterns = [
    path("learning/", learning, name="learning"),
    path("learning/themes/<int:theme>/respond/", learning_respond, name="learning_respond"),
]
