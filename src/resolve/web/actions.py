"""The base of every page that does one thing to a disagreement (record, escalate, resolve...).

An :class:`ActionPage` is a thin face over one service call:

- the disagreement is read with ``disagreement_get`` (so the read is logged); one the person may not
  see is a 404 exactly like a missing one;
- the policy's ``allowed()`` decides whether the page offers the action at all; when it does not, the
  page says why (``policy.reason``) with a 403, and the service would refuse it again anyway;
- the form is a :class:`~resolve.web.forms.GovForm` whose field names are the service's keywords,
  so that a refusal (``ResolveError``) shows on the field it names, in the error summary, with what
  the person typed kept, and the status the error carries (400, 409);
- a hidden ``seen`` value is the disagreement's latest change when the page was loaded: if someone else
  changed it meanwhile, nothing is done, the page lists what changed, keeps what was typed, and a
  second send goes through (409);
- on success: a GOV.UK success banner on the disagreement's page.

A subclass names its ``action``, ``form_class``, ``title`` and ``done`` (the banner's words), and
implements :meth:`ActionPage.perform` with the one service call.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from resolve.access.policy import Action, allowed, reason
from resolve.audit.selectors import changes_since, last_change
from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements.models import Disagreement
from resolve.disagreements.selectors import disagreement_get
from resolve.partnerships.models import Person
from resolve.partnerships.selectors import person_of
from resolve.web.forms import GovForm

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class ActionPage(LoginRequiredMixin, View, ABC):
    action: ClassVar[Action]
    form_class: ClassVar[type[GovForm]]
    #: the page's h1 (and title)
    title: ClassVar[StrPromise]
    #: the success banner's words on the disagreement's page
    done: ClassVar[StrPromise]
    submit: ClassVar[StrPromise] = _("Save")
    template_name: ClassVar[str] = "web/action.html"

    person: Person
    disagreement: Disagreement

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        person = person_of(request.user)
        if person is None:
            raise Http404
        try:
            self.disagreement = disagreement_get(person=person, pk=kwargs["pk"])
        except NotFound:
            raise Http404 from None
        self.person = person
        return super().dispatch(request, *args, **kwargs)

    # ------------------------------------------------------------------ what a subclass provides

    def form_kwargs(self) -> dict[str, Any]:
        """Extra arguments for the form (choices from the procedure, the people who may be chosen...)."""
        return {}

    @abstractmethod
    def perform(self, form: GovForm) -> object:
        """The one service call, with ``form.cleaned_data``; raise ``ResolveError`` to refuse."""

    def extra_context(self) -> dict[str, Any]:
        """What else the page shows before the form (the next stage, who will be told...)."""
        return {}

    def success_url(self, result: object) -> str:
        return reverse("disagreement", kwargs={"pk": self.disagreement.pk})

    # ------------------------------------------------------------------ the page

    def may(self) -> bool:
        return allowed(self.person, self.action, self.disagreement)

    def why_not(self) -> str:
        """Why the page is not offered: the disagreement is closed, or what the policy says."""
        if not self.disagreement.is_open:
            return str(_("This disagreement is closed, so nothing more can be done to it here."))
        return reason(self.person, self.action, self.disagreement)

    def get(self, request: HttpRequest, pk: UUID, **kwargs: Any) -> HttpResponse:
        if not self.may():
            return self.refused()
        return self.page(self.form_class(**self.form_kwargs()))

    def post(self, request: HttpRequest, pk: UUID, **kwargs: Any) -> HttpResponse:
        if not self.may():
            return self.refused()
        form = self.form_class(data=request.POST, **self.form_kwargs())
        seen = request.POST.get("seen", "")
        current = last_change(self.disagreement)
        if seen != str(current):
            changes = changes_since(self.disagreement, int(seen) if seen.isdigit() else 0)
            form.is_valid()  # show any mistakes in what was typed too
            return self.page(form, status=409, changes=changes)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            result = self.perform(form)
        except NotFound:
            raise Http404 from None
        except ResolveError as error:
            form.refuse(error)
            return self.page(form, status=error.status)
        messages.success(request, str(self.done))
        return HttpResponseRedirect(self.success_url(result))

    def page(self, form: GovForm, *, status: int = 200, changes: list[Any] | None = None) -> HttpResponse:
        context = {
            "person": self.person,
            "disagreement": self.disagreement,
            "form": form,
            "title": self.title,
            "submit": self.submit,
            "seen": last_change(self.disagreement),
            "changes": changes,
            **self.extra_context(),
        }
        return render(self.request, self.template_name, context, status=status)

    def refused(self) -> HttpResponse:
        context = {
            "person": self.person,
            "disagreement": self.disagreement,
            "title": self.title,
            "why": self.why_not(),
        }
        return render(self.request, "web/action_refused.html", context, status=403)
