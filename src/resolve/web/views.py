"""Pages: thin faces over the selectors. No business rules here."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements.page import disagreement_page
from resolve.disagreements.selectors import (
    disagreement_page_for,
    list_choices_for,
    notices_for,
    oversight_for,
    work_for,
)
from resolve.partnerships.selectors import person_of
from resolve.reports.learning import learning_of
from resolve.web.filters import DisagreementFilterForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    work = work_for(person=person) if person else None
    notices = notices_for(person=person) if person else []
    return render(request, "web/home.html", {"person": person, "work": work, "notices": notices})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def disagreements(request: HttpRequest) -> HttpResponse:
    """The list, filtered by the GET form; a search is POSTed, so that a child's reference is never in an address."""
    person = person_of(request.user)
    if person is None:
        return render(request, "web/disagreements.html", {"person": person})
    data = request.GET.copy()
    data.pop("q", None)
    if request.method == "POST":
        data["q"] = request.POST.get("q", "")
    form = DisagreementFilterForm(data, choices=list_choices_for(person=person))
    context: dict[str, object] = {"person": person, "form": form}
    if not form.is_valid():
        return render(request, "web/disagreements.html", context, status=400)
    try:
        context["listing"] = disagreement_page_for(person=person, filters=form.filters(), page=request.GET.get("page"))
    except ResolveError as error:
        form.refuse(error)
        return render(request, "web/disagreements.html", context, status=error.status)
    return render(request, "web/disagreements.html", context)


@login_required
def oversight(request: HttpRequest) -> HttpResponse:
    """For the partnership's role holders: what reached their roles' stages. For anyone else the page does not exist."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    try:
        listing = oversight_for(person=person, page=request.GET.get("page"))
    except NotFound:
        raise Http404 from None
    return render(request, "web/oversight.html", {"person": person, "listing": listing})


@login_required
def disagreement(request: HttpRequest, pk: UUID) -> HttpResponse:
    """One disagreement, read-only. Refused, unknown and unlinked all get the same "Page not found"."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    try:
        page = disagreement_page(person=person, pk=pk)
    except NotFound:
        raise Http404 from None
    # the wider learning recorded for it (resolve.reports.learning), shown to whoever may see the page
    learning = learning_of(page.disagreement)
    return render(request, "web/disagreement.html", {"person": person, "page": page, "learning": learning})


# The pages the footer links to: anyone may read them, signed in or not.
accessibility = TemplateView.as_view(template_name="web/accessibility.html")
privacy = TemplateView.as_view(template_name="web/privacy.html")
cookies = TemplateView.as_view(template_name="web/cookies.html")
