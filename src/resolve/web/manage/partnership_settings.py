"""Administration pages: the partnership's own settings (its name, reference letters, two-factor rule,
how messages are sent, how long personal data is kept and its small-number threshold), one service call."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resolve.core.errors import ResolveError
from resolve.partnerships.models import Partnership
from resolve.partnerships.services import RETENTION_DAYS, SUPPRESS_BELOW, partnership_settings_set
from resolve.web.forms import GovForm
from resolve.web.manage.base import administers, page


class SettingsForm(GovForm):
    """The fields are the service's keywords."""

    name = forms.CharField(
        label=gettext_lazy("Partnership's name"),
        max_length=200,
        error_messages={
            "required": gettext_lazy("Enter the partnership's name"),
            "max_length": gettext_lazy("The partnership's name must be 200 characters or fewer"),
        },
    )
    reference_prefix = forms.CharField(
        label=gettext_lazy("Reference prefix (optional)"),
        required=False,
        max_length=8,
        help_text=gettext_lazy(
            "1 to 8 capital letters or digits before each disagreement's short reference, such as NEL in "
            "NEL-2026-0042. Leave it empty to use the initials of the short name. References already given "
            "keep their letters."
        ),
        error_messages={"max_length": gettext_lazy("The reference prefix must be 8 characters or fewer")},
    )
    mfa_required = forms.BooleanField(
        label=gettext_lazy("Everyone must use two-factor authentication"),
        required=False,
        help_text=gettext_lazy(
            "Everyone in the partnership who signs in with a password, and its administrators, must set up "
            "an authenticator app before they can use Resolve."
        ),
        widget=forms.CheckboxInput,
    )
    message_channel = forms.ChoiceField(
        label=gettext_lazy("How Resolve sends messages"),
        choices=Partnership.Channel.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("The mail server's settings and GOV.UK Notify's key are set by whoever runs Resolve."),
        error_messages={
            "required": gettext_lazy("Choose how Resolve sends the partnership's messages"),
            "invalid_choice": gettext_lazy("Choose how Resolve sends the partnership's messages"),
        },
    )
    retention_days = forms.IntegerField(
        label=gettext_lazy("Days to keep personal data after a disagreement closes"),
        help_text=gettext_lazy(
            "Then the child's details and the records' words are removed, and the anonymous figures kept. "
            "2190 days is six years."
        ),
        min_value=RETENTION_DAYS[0],
        max_value=RETENTION_DAYS[1],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "required": gettext_lazy("Enter how many days to keep personal data"),
            "invalid": gettext_lazy("Enter the days to keep personal data as a whole number, such as 2190"),
            "min_value": gettext_lazy("Keep personal data for at least %(limit_value)s days"),
            "max_value": gettext_lazy("Keep personal data for at most %(limit_value)s days"),
        },
    )
    suppress_below = forms.IntegerField(
        label=gettext_lazy("Smallest count shown in reports and exports"),
        help_text=gettext_lazy(
            "In the board reports and the figures exported, a count smaller than this is shown as 'fewer than' "
            "it, so that no child can be identified. From 1 to 50; 5 is usual."
        ),
        min_value=SUPPRESS_BELOW[0],
        max_value=SUPPRESS_BELOW[1],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": gettext_lazy("Enter the smallest count shown in reports and exports"),
            "invalid": gettext_lazy("Enter the smallest count shown as a whole number, such as 5"),
            "min_value": gettext_lazy("The smallest count shown must be %(limit_value)s or more"),
            "max_value": gettext_lazy("The smallest count shown must be %(limit_value)s or fewer"),
        },
    )


@administers
def settings_page(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    initial = {field: getattr(partnership, field) for field in SettingsForm.base_fields}
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                changed = partnership_settings_set(partnership=partnership, **form.cleaned_data, by=request.user)
            except ResolveError as error:
                form.refuse(error)
                status = error.status
            else:
                if changed:
                    messages.success(request, _("The partnership's settings were saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return HttpResponseRedirect(
                    reverse("manage:settings", kwargs={"partnership": partnership.slug}), status=303
                )
    return page(request, partnership, "web/manage/settings/settings.html", {"form": form}, status=status)


urlpatterns = [path("settings/", settings_page, name="settings")]
