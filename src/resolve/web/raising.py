"""Raise a disagreement: GOV.UK question pages, then check your answers, then a confirmation.

The first question is "Is the child safe now?". Where the answer is no, or significant harm is
chosen, every page after it says (GOV.UK warning text) that the procedure's urgent route applies:
telephone today, with the counterparts' names and numbers and the procedure's own instructions and
out-of-hours contacts (``raise_choices.urgent_route_for``); the person can still go on.

The answers are kept in the session (server-side), never in an address. Each question page is a
``GovForm`` whose field names are the service's keywords, so that a refusal of the service lands on
the page and field it names. Going straight to a later page without the earlier answers leads to the
first one missing. "Raise the disagreement" on the check page calls ``disagreement_raise`` once; the
answers are then cleared, so sending the page twice raises one disagreement.

Every rule is the service's or the selectors' (``resolve.disagreements.raise_choices``); the pages
only ask, keep the answers and show them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from resolve.core.errors import NotFound, ResolveError
from resolve.disagreements.models import Disagreement
from resolve.disagreements.raise_choices import (
    RaiseChoices,
    UrgentRoute,
    agencies_chosen,
    category_check,
    counterparts_choosable,
    counterparts_chosen,
    raise_choices_for,
    raise_confirmation,
    raise_refusal,
    urgent_route_for,
)
from resolve.disagreements.services import RegisteredChild, child_register, disagreement_raise
from resolve.disagreements.services.raising import raise_text_checked
from resolve.partnerships.models import Person
from resolve.partnerships.selectors import person_of
from resolve.procedures.schema import Pathway, Procedure
from resolve.web.forms import Checkboxes, DateField, DateTimeField, GovForm, Radios

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

#: where the answers are kept in the session
SESSION_KEY = "raise"
#: the value of the counterparts question that says nobody has been dealt with yet
NOBODY = "nobody"
YES, NO = "yes", "no"


def yes_or_no(label: StrPromise, required: StrPromise, help_text: StrPromise | str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=[(YES, _("Yes")), (NO, _("No"))],
        widget=Radios(inline=True),
        error_messages={"required": required},
    )


# ---------------------------------------------------------------------------------------------- forms


class SafeForm(GovForm):
    page_heading = "safe"
    safe = yes_or_no(
        _("Is the child safe now?"),
        _("Select yes if the child is safe now"),
        _("Answer no if the child may come to harm before this can wait for a reply to an e-mail."),
    )


class ChildForm(GovForm):
    page_heading = "reference"
    reference = forms.CharField(
        label=_("What is the child's reference?"),
        help_text=_(
            "Your agency's case number for the child, not their name. A child already known to Resolve in your "
            "partnership is found by it."
        ),
        required=False,  # the service says what to enter
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-20"}),
    )
    name = forms.CharField(
        label=_("Child's name (optional)"),
        help_text=_("Only kept for a child new to Resolve: a child already known keeps what is stored."),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = DateField(
        label=_("Date of birth (optional)"),
        help_text=_("For example, 27 3 2014. Only kept for a child new to Resolve."),
        required=False,
        what=_("The child's date of birth"),
    )


class AgenciesForm(GovForm):
    page_heading = "other_agencies"
    other_agencies = forms.MultipleChoiceField(
        label=_("Which agency or agencies do you disagree with?"),
        help_text=_("Select all that apply. A disagreement within your own agency goes through its own procedures."),
        widget=Checkboxes,
        error_messages={"required": _("Select the agency or agencies you disagree with")},
    )

    def __init__(self, *args: Any, choices: RaiseChoices, partnership: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["other_agencies"]
        assert isinstance(field, forms.MultipleChoiceField)
        own = [(str(a.pk), a.name) for a in choices.agencies]
        if not choices.elsewhere:
            field.choices = own
            return
        # a cross-borough disagreement (Enfield section 9): other partnerships' agencies, under each one's name
        headings = {own[0][0]: partnership} if own else {}
        for other, agencies in choices.elsewhere:
            headings[str(agencies[0].pk)] = other.name
        field.widget = CheckboxesWidget(headings=headings)
        field.choices = [*own, *((str(a.pk), a.name) for _other, agencies in choices.elsewhere for a in agencies)]
        field.help_text = _(
            "Select all that apply. The agencies of other partnerships that use Resolve are listed under their "
            "partnership's name: choosing one makes it a cross-borough disagreement, run by your partnership's "
            "procedure. A disagreement within your own agency goes through its own procedures."
        )


class CheckboxesWidget(Checkboxes):
    """GOV.UK checkboxes with a heading before the choice that starts each group (each partnership's agencies).

    Named so that Django's ``widget_type`` is still "checkboxes" (it drops a trailing "widget"), so
    the form renders it in a fieldset as any other checkboxes; the choices stay flat, so that each box
    keeps the id the error summary links to.
    """

    template_name = "web/raise/grouped_checkboxes.html"

    def __init__(self, *args: Any, headings: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headings = headings

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["heading"] = self.headings.get(str(value), "")
        return option


class CounterpartsForm(GovForm):
    page_heading = "counterparts"
    counterparts = forms.MultipleChoiceField(
        label=_("Who have you been dealing with there?"),
        help_text=_(
            "Select everyone you have been dealing with in the agencies you disagree with. They, and their line "
            "managers, will be able to see the disagreement."
        ),
        widget=Checkboxes,
        error_messages={
            "required": _("Select the people you have been dealing with, or that you have not dealt with anyone yet")
        },
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["counterparts"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            *((str(p.pk), f"{p.name}, {p.job_title} ({p.agency.name if p.agency else ''})") for p in people),
            (NOBODY, _("I have not dealt with anyone there yet")),
        ]

    def clean_counterparts(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["counterparts"]
        if NOBODY in chosen and len(chosen) > 1:
            raise forms.ValidationError(
                _("Select the people you have been dealing with, or that you have not dealt with anyone yet, not both")
            )
        return [c for c in chosen if c != NOBODY]


class CategoryForm(GovForm):
    page_heading = "category"
    category = forms.ChoiceField(
        label=_("What is the disagreement about?"),
        widget=Radios,
        error_messages={"required": _("Select what the disagreement is about")},
    )

    def __init__(self, *args: Any, procedure: Procedure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(c.slug, c.name) for c in procedure.categories]
        field.help_text = _("The categories of %(procedure)s.") % {"procedure": procedure.partnership}


class PathwayForm(GovForm):
    page_heading = "pathway"
    pathway = forms.ChoiceField(
        label=_("Which part of the procedure does it follow?"),
        widget=Radios,
        error_messages={"required": _("Select the part of the procedure it follows")},
    )

    def __init__(self, *args: Any, procedure: Procedure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pathway"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p.slug, p.name) for p in procedure.pathways]
        field.widget = Radios(choices=field.choices, hints={p.slug: p.description for p in procedure.pathways})
        field.help_text = _("The category you chose is preselected: change it only if another part fits better.")


def text(label: StrPromise, help_text: StrPromise | str = "", *, required: StrPromise | None = None) -> forms.CharField:
    """A text box; ``required`` is what to say when it is left empty (the service says it again, in the same words)."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea,
        required=required is not None,
        error_messages={"required": required} if required is not None else None,
    )


class DetailsForm(GovForm):
    expected = text(
        _("What do you expect the other agency to do?"),
        _("Do not include the child's name."),
        required=_("Enter what you expect the other agency to do."),
    )
    why = text(
        _("Why do you believe the safeguarding arrangements are not being applied?"),
        required=_("Enter why you believe the arrangements are not being applied."),
    )
    what_needed = text(_("What needs to be done?"), required=_("Enter what needs to be done."))
    evidence = text(
        _("What is your evidence? (optional)"), _("What you have seen, been told or recorded, and where it is kept.")
    )


class UrgencyForm(GovForm):
    significant_harm = yes_or_no(
        _("Is the child at risk of significant harm?"),
        _("Select yes if the child is at risk of significant harm"),
    )
    urgent = yes_or_no(
        _("Does it need urgent resolution?"),
        _("Select yes if it needs urgent resolution"),
        _("An urgent disagreement may start at a later stage where the procedure allows it."),
    )
    start_stage = forms.ChoiceField(label=_("Which stage should it start at?"), widget=Radios, required=False)
    urgent_reason = forms.CharField(
        label=_("Why does it need urgent resolution? (optional)"),
        help_text=_("Needed when it starts after the first stage."),
        widget=forms.Textarea,
        required=False,
    )
    child_protection = yes_or_no(
        _("Is the child subject of a child protection plan?"),
        _("Select yes if the child is subject of a child protection plan"),
    )
    flags = forms.MultipleChoiceField(label=_("Do any of these apply? (optional)"), widget=Checkboxes, required=False)
    conference_kind = forms.ChoiceField(
        label=_("Which child protection conference was it?"),
        widget=Radios,
        required=False,  # the service says when it is needed
    )
    started_at = DateTimeField(
        label=_("When was the conference adjourned? (optional)"),
        help_text=_("For example, 14 12 2026 and 14:30. Leave it empty if it was adjourned today, just now."),
        required=False,
        what=_("When the conference was adjourned"),
    )

    def __init__(self, *args: Any, procedure: Procedure, pathway: Pathway, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        starts = [s for i, s in enumerate(pathway.stages) if i == 0 or s.urgent_start]
        if len(starts) > 1:
            self._choices("start_stage", [(s.slug, s.name) for s in starts])
            self.fields["start_stage"].help_text = _("Only an urgent disagreement may start after the first stage.")
        else:
            del self.fields["start_stage"], self.fields["urgent_reason"]
        if procedure.flags:
            self._choices("flags", [(f.slug, f.name) for f in procedure.flags])
        else:
            del self.fields["flags"]
        if pathway.conference is not None:
            kinds = [(k.value, str(k.label)) for k in Disagreement.ConferenceKind if k.value]
            self._choices("conference_kind", kinds)
        else:
            del self.fields["conference_kind"]
        if pathway.conference is None or pathway.conference.view != "equally_divided":
            del self.fields["started_at"]

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


# ---------------------------------------------------------------------------------------------- the journey


class Journey:
    """The person's answers so far, and which questions apply to them."""

    #: the question pages, in order: (name, the answer whose presence says the page was answered)
    STEPS: ClassVar[list[tuple[str, str]]] = [
        ("safe", "safe"),
        ("child", "child"),
        ("agencies", "other_agencies"),
        ("counterparts", "counterparts"),
        ("category", "category"),
        ("pathway", "pathway"),
        ("details", "expected"),
        ("urgency", "significant_harm"),
    ]

    def __init__(self, request: HttpRequest, person: Person, choices: RaiseChoices) -> None:
        self.request = request
        self.person = person
        self.choices = choices
        self.answers: dict[str, Any] = dict(request.session.get(SESSION_KEY, {}))

    @property
    def procedure(self) -> Procedure:
        return self.choices.procedure

    def pathway(self) -> Pathway:
        """The pathway as answered: chosen, else the category's, else the procedure's first."""
        procedure = self.procedure
        slug = self.answers.get("pathway")
        if not slug and self.answers.get("category"):
            try:
                slug = procedure.category(self.answers["category"]).pathway
            except KeyError:
                slug = None
        try:
            return procedure.pathway(slug) if slug else procedure.pathways[0]
        except KeyError:
            return procedure.pathways[0]

    def applies(self, step: str) -> bool:
        if step == "category":
            return bool(self.procedure.categories)
        if step == "pathway":
            return len(self.procedure.pathways) > 1
        return True

    def steps(self) -> list[str]:
        return [name for name, _key in self.STEPS if self.applies(name)]

    def answered(self, step: str) -> bool:
        return dict(self.STEPS)[step] in self.answers

    def first_missing(self, before: str | None = None) -> str | None:
        for step in self.steps():
            if step == before:
                return None
            if not self.answered(step):
                return step
        return None

    def after(self, step: str) -> str:
        """The next question that applies after ``step``, or the check page."""
        names = [name for name, _key in self.STEPS]
        later = [s for s in names[names.index(step) + 1 :] if self.applies(s)]
        return later[0] if later else "check"

    def before(self, step: str) -> str | None:
        names = [name for name, _key in self.STEPS]
        earlier = [s for s in names[: names.index(step)] if self.applies(s)]
        return earlier[-1] if earlier else None

    def save(self, values: dict[str, Any]) -> None:
        """Keep ``values``; answers that depended on a changed one are dropped, to be asked again."""
        pathway = self.pathway().slug
        if "other_agencies" in values and values["other_agencies"] != self.answers.get("other_agencies"):
            self.answers.pop("counterparts", None)
        if "category" in values and values["category"] != self.answers.get("category"):
            self.answers.pop("pathway", None)
        self.answers.update(values)
        if self.pathway().slug != pathway:
            for key in UrgencyPage.keys:
                self.answers.pop(key, None)
        self.request.session[SESSION_KEY] = self.answers

    def clear(self) -> None:
        self.request.session.pop(SESSION_KEY, None)

    def urgent_route(self) -> UrgentRoute | None:
        """The procedure's urgent route, when the child is not safe now or is at risk of significant harm."""
        if self.answers.get("safe") != NO and self.answers.get("significant_harm") != YES:
            return None
        return urgent_route_for(
            person=self.person,
            agency_ids=self.answers.get("other_agencies", []),
            counterpart_ids=self.answers.get("counterparts", []),
        )


def url_of(step: str) -> str:
    return reverse("raise_start" if step == "safe" else f"raise_{step}")


class RaisePage(LoginRequiredMixin, View):
    """What every page of the journey shares: only someone who can raise gets a form."""

    person: Person
    journey: Journey

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        person = person_of(request.user)
        refusal = raise_refusal(person)
        if refusal or person is None:
            return render(request, "web/raise/refused.html", {"why": refusal}, status=403)
        self.person = person
        self.journey = Journey(request, person, raise_choices_for(person=person))
        return super().dispatch(request, *args, **kwargs)


class QuestionPage(RaisePage):
    """One question page: the form, Continue, a back link; its answers go to the session."""

    step: ClassVar[str]
    title: ClassVar[StrPromise]
    form_class: ClassVar[type[GovForm]]
    #: the answers this page keeps
    keys: ClassVar[tuple[str, ...]]

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def initial(self) -> dict[str, Any]:
        return {k: self.journey.answers[k] for k in self.keys if k in self.journey.answers}

    def store(self, form: GovForm) -> dict[str, Any]:
        """The answers to keep, from ``form.cleaned_data``; a service's ``ResolveError`` refuses them."""
        return {k: form.cleaned_data.get(k) for k in self.keys if k in form.cleaned_data}

    def form(self, data: Any = None) -> GovForm:
        return self.form_class(data=data, initial=self.initial(), **self.form_kwargs())

    def from_check(self) -> bool:
        return self.request.GET.get("from") == "check"

    def get(self, request: HttpRequest) -> HttpResponse:
        missing = self.journey.first_missing(before=self.step)
        if missing:
            return HttpResponseRedirect(url_of(missing))
        if not self.journey.applies(self.step):
            return HttpResponseRedirect(url_of(self.journey.after(self.step)))
        return self.page(self.form())

    def post(self, request: HttpRequest) -> HttpResponse:
        missing = self.journey.first_missing(before=self.step)
        if missing:
            return HttpResponseRedirect(url_of(missing))
        form = self.form(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            values = self.store(form)
        except NotFound:
            raise Http404 from None
        except ResolveError as error:
            form.refuse(error)
            return self.page(form, status=error.status)
        self.journey.save(values)
        after = "check" if self.from_check() else self.journey.after(self.step)
        return HttpResponseRedirect(url_of(after))

    def page(self, form: GovForm, *, status: int = 200, action: str = "") -> HttpResponse:
        before = self.journey.before(self.step)
        back = url_of("check") if self.from_check() else (url_of(before) if before else reverse("home"))
        context = {
            "form": form,
            "title": self.title,
            "back_url": back,
            "action": action,
            "route": self.journey.urgent_route(),
            **self.extra_context(),
        }
        return render(self.request, "web/raise/question.html", context, status=status)

    def extra_context(self) -> dict[str, Any]:
        return {}

    def refused_by_service(self, error: ResolveError) -> HttpResponse:
        """This page, as answered, with the service's refusal on its field: sent from the check page."""
        form = self.form()
        form.cleaned_data = {}
        form.refuse(error)
        return self.page(form, status=error.status, action=url_of(self.step) + "?from=check")


class SafePage(QuestionPage):
    step = "safe"
    title = _("Is the child safe now?")
    form_class = SafeForm
    keys = ("safe",)


class ChildPage(QuestionPage):
    step = "child"
    title = _("What is the child's reference?")
    form_class = ChildForm
    keys = ("child", "child_reference")

    def initial(self) -> dict[str, Any]:
        return {"reference": self.journey.answers.get("child_reference", "")}

    def store(self, form: GovForm) -> dict[str, Any]:
        data = form.cleaned_data
        child = child_register(
            by=self.person, reference=data["reference"], name=data["name"], date_of_birth=data["date_of_birth"]
        )
        return {"child": str(child.id), "child_reference": child.reference}


class AgenciesPage(QuestionPage):
    step = "agencies"
    title = _("Which agency or agencies do you disagree with?")
    form_class = AgenciesForm
    keys = ("other_agencies",)

    def form_kwargs(self) -> dict[str, Any]:
        return {"choices": self.journey.choices, "partnership": self.person.partnership.name}


class CounterpartsPage(QuestionPage):
    step = "counterparts"
    title = _("Who have you been dealing with there?")
    form_class = CounterpartsForm
    keys = ("counterparts",)

    def form_kwargs(self) -> dict[str, Any]:
        agencies = self.journey.answers.get("other_agencies", [])
        return {"people": counterparts_choosable(person=self.person, agency_ids=agencies)}

    def initial(self) -> dict[str, Any]:
        if "counterparts" not in self.journey.answers:
            return {}
        return {"counterparts": self.journey.answers["counterparts"] or [NOBODY]}


class CategoryPage(QuestionPage):
    step = "category"
    title = _("What is the disagreement about?")
    form_class = CategoryForm
    keys = ("category",)

    def form_kwargs(self) -> dict[str, Any]:
        return {"procedure": self.journey.procedure}

    def store(self, form: GovForm) -> dict[str, Any]:
        category_check(person=self.person, category=form.cleaned_data["category"])
        return super().store(form)


class PathwayPage(QuestionPage):
    step = "pathway"
    title = _("Which part of the procedure does it follow?")
    form_class = PathwayForm
    keys = ("pathway",)

    def form_kwargs(self) -> dict[str, Any]:
        return {"procedure": self.journey.procedure}

    def initial(self) -> dict[str, Any]:
        return {"pathway": self.journey.pathway().slug}


class DetailsPage(QuestionPage):
    step = "details"
    title = _("About the disagreement")
    form_class = DetailsForm
    keys = ("expected", "why", "what_needed", "evidence")

    def store(self, form: GovForm) -> dict[str, Any]:
        """Refused here as the service would refuse it on the check page (too long, a NUL character...)."""
        return raise_text_checked(**super().store(form))


class UrgencyPage(QuestionPage):
    step = "urgency"
    title = _("How urgent is it?")
    form_class = UrgencyForm
    keys = (
        "significant_harm",
        "urgent",
        "start_stage",
        "urgent_reason",
        "child_protection",
        "flags",
        "conference_kind",
        "started_at",
    )

    def form_kwargs(self) -> dict[str, Any]:
        return {"procedure": self.journey.procedure, "pathway": self.journey.pathway()}

    def initial(self) -> dict[str, Any]:
        answers = self.journey.answers
        initial = super().initial()
        if "significant_harm" not in answers and answers.get("safe") == NO:
            initial["significant_harm"] = YES
        initial.setdefault("start_stage", self.journey.pathway().stages[0].slug)
        if answers.get("started_at"):
            initial["started_at"] = datetime.fromisoformat(answers["started_at"])
        return initial

    def store(self, form: GovForm) -> dict[str, Any]:
        values = super().store(form)
        if "urgent_reason" in values:  # refused here as the service would refuse it on the check page
            values.update(raise_text_checked(urgent_reason=values["urgent_reason"] or ""))
        if isinstance(values.get("started_at"), datetime):
            values["started_at"] = values["started_at"].isoformat()
        return values


# ---------------------------------------------------------------------------------------------- check, raise, done

#: which question page asks for each of the service's keywords
PAGES: tuple[type[QuestionPage], ...] = (
    ChildPage,
    AgenciesPage,
    CounterpartsPage,
    CategoryPage,
    PathwayPage,
    DetailsPage,
    UrgencyPage,
)
PAGE_OF_FIELD: dict[str, type[QuestionPage]] = {key: page for page in PAGES for key in page.keys}
PAGE_OF_FIELD.update({"reference": ChildPage, "name": ChildPage, "date_of_birth": ChildPage})


class CheckForm(GovForm):
    """No questions: it carries a refusal that names no question, for the error summary."""


class CheckPage(RaisePage):
    def get(self, request: HttpRequest) -> HttpResponse:
        missing = self.journey.first_missing()
        if missing:
            return HttpResponseRedirect(url_of(missing))
        return self.page(CheckForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        missing = self.journey.first_missing()
        if missing:
            return HttpResponseRedirect(url_of(missing))
        try:
            disagreement = disagreement_raise(by=self.person, **self.service_arguments())
        except NotFound:
            raise Http404 from None
        except ResolveError as error:
            page_class = PAGE_OF_FIELD.get(error.field or "")
            if page_class is not None and self.journey.applies(page_class.step):
                page = page_class()
                page.setup(request)
                page.person, page.journey = self.person, self.journey
                return page.refused_by_service(error)
            form = CheckForm()
            form.cleaned_data = {}
            form.refuse(error)
            return self.page(form, status=error.status)
        self.journey.clear()
        return HttpResponseRedirect(reverse("raise_done", kwargs={"pk": disagreement.pk}))

    def service_arguments(self) -> dict[str, Any]:
        a = self.journey.answers
        agencies = a.get("other_agencies", [])
        started_at = a.get("started_at")
        return {
            "child": RegisteredChild(id=UUID(a["child"]), reference=a["child_reference"]),
            "other_agencies": agencies_chosen(person=self.person, ids=agencies),
            "counterparts": counterparts_chosen(person=self.person, agency_ids=agencies, ids=a.get("counterparts", [])),
            "category": a.get("category", ""),
            "pathway": a.get("pathway") or None,
            "expected": a.get("expected", ""),
            "why": a.get("why", ""),
            "what_needed": a.get("what_needed", ""),
            "evidence": a.get("evidence", ""),
            "significant_harm": a.get("significant_harm") == YES,
            "urgent": a.get("urgent") == YES,
            "urgent_reason": a.get("urgent_reason") or "",
            "start_stage": a.get("start_stage") or None,
            "child_protection": a.get("child_protection") == YES,
            "flags": a.get("flags") or [],
            "conference_kind": a.get("conference_kind") or "",
            "started_at": datetime.fromisoformat(started_at) if started_at else None,
        }

    def rows(self) -> list[tuple[StrPromise, str, str]]:
        """The summary list: (question, answer, the page that changes it)."""
        a = self.journey.answers
        procedure = self.journey.procedure
        pathway = self.journey.pathway()
        agencies = a.get("other_agencies", [])
        yes_no = {YES: str(_("Yes")), NO: str(_("No"))}
        people = counterparts_chosen(person=self.person, agency_ids=agencies, ids=a.get("counterparts", []))
        rows: list[tuple[StrPromise, str, str]] = [
            (_("Is the child safe now?"), yes_no.get(a.get("safe", ""), ""), "safe"),
            (_("Child's reference"), a.get("child_reference", ""), "child"),
            (
                _("Agencies you disagree with"),
                "\n".join(
                    x.name if x.partnership_id == self.person.partnership_id else f"{x.name} ({x.partnership.name})"
                    for x in agencies_chosen(person=self.person, ids=agencies)
                ),
                "agencies",
            ),
            (
                _("People you have been dealing with"),
                "\n".join(f"{p.name}, {p.job_title}" for p in people) or str(_("Nobody yet")),
                "counterparts",
            ),
        ]
        if self.journey.applies("category"):
            names = {c.slug: c.name for c in procedure.categories}
            rows.append((_("What it is about"), names.get(a.get("category", ""), ""), "category"))
        if self.journey.applies("pathway"):
            rows.append((_("Part of the procedure"), pathway.name, "pathway"))
        rows += [
            (_("What you expect the other agency to do"), a.get("expected", ""), "details"),
            (_("Why the safeguarding arrangements are not being applied"), a.get("why", ""), "details"),
            (_("What needs to be done"), a.get("what_needed", ""), "details"),
            (_("Evidence"), a.get("evidence", "") or str(_("None given")), "details"),
            (_("Risk of significant harm"), yes_no.get(a.get("significant_harm", ""), ""), "urgency"),
            (_("Needs urgent resolution"), yes_no.get(a.get("urgent", ""), ""), "urgency"),
        ]
        if a.get("start_stage") and a["start_stage"] != pathway.stages[0].slug:
            stage_names = {s.slug: s.name for s in pathway.stages}
            rows.append((_("Starts at"), stage_names.get(a["start_stage"], ""), "urgency"))
            rows.append((_("Why it needs urgent resolution"), a.get("urgent_reason", ""), "urgency"))
        rows.append((_("Child protection plan"), yes_no.get(a.get("child_protection", ""), ""), "urgency"))
        if procedure.flags:
            flag_names = [f.name for f in procedure.flags if f.slug in (a.get("flags") or [])]
            rows.append((_("Also applies"), "\n".join(flag_names) or str(_("None")), "urgency"))
        if pathway.conference is not None:
            kinds = dict(Disagreement.ConferenceKind.choices)
            rows.append((_("Conference"), str(kinds.get(a.get("conference_kind") or "", "")), "urgency"))
        if a.get("started_at"):
            moment = datetime.fromisoformat(a["started_at"])
            rows.append((_("Conference adjourned"), f"{moment:%d %B %Y %H:%M}", "urgency"))
        return rows

    def page(self, form: GovForm, *, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "rows": [(q, answer, url_of(step) + "?from=check") for q, answer, step in self.rows()],
            "back_url": url_of(self.journey.steps()[-1]),
            "route": self.journey.urgent_route(),
        }
        return render(self.request, "web/raise/check.html", context, status=status)


@login_required
def raise_done(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The confirmation: the reference, the first deadline and its rule, who has been told, what happens next."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    try:
        confirmation = raise_confirmation(person=person, pk=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "web/raise/done.html", {"done": confirmation})


urlpatterns = [
    path("", SafePage.as_view(), name="raise_start"),
    path("child/", ChildPage.as_view(), name="raise_child"),
    path("agencies/", AgenciesPage.as_view(), name="raise_agencies"),
    path("people/", CounterpartsPage.as_view(), name="raise_counterparts"),
    path("category/", CategoryPage.as_view(), name="raise_category"),
    path("pathway/", PathwayPage.as_view(), name="raise_pathway"),
    path("details/", DetailsPage.as_view(), name="raise_details"),
    path("urgency/", UrgencyPage.as_view(), name="raise_urgency"),
    path("check/", CheckPage.as_view(), name="raise_check"),
    path("done/<uuid:pk>/", raise_done, name="raise_done"),
]
