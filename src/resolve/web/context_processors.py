"""What the layout every page shares needs: the signed-in person's partnership, and whether they administer one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from resolve.disagreements.raise_choices import raise_refusal
from resolve.partnerships.selectors import partnerships_administered_by, person_of
from resolve.reports.access import partnerships_overseen_by


def layout(request: HttpRequest) -> dict[str, Any]:
    """``layout_partnership`` (a name or ""), ``layout_administers`` and ``layout_may_raise`` (bools), and
    ``layout_oversees`` (the dashboard's address of the first partnership the person oversees, or ""),
    read only if a page shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"layout_partnership": "", "layout_administers": False, "layout_may_raise": False, "layout_oversees": ""}

    def partnership() -> str:
        person = person_of(user)
        return person.partnership.name if person else ""

    def oversees() -> str:
        found = partnerships_overseen_by(user)
        return reverse("oversight:dashboard", kwargs={"partnership": found[0].slug}) if found else ""

    return {
        "layout_partnership": SimpleLazyObject(partnership),
        "layout_administers": SimpleLazyObject(lambda: partnerships_administered_by(user).exists()),
        # whether "Raise a disagreement" is offered: someone in an agency of a partnership with a procedure
        "layout_may_raise": SimpleLazyObject(lambda: not raise_refusal(person_of(user))),
        "layout_oversees": SimpleLazyObject(oversees),
    }
