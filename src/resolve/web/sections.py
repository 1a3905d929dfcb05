"""A section navigation under a partnership's address: the administration pages and the oversight pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from resolve.partnerships.models import Partnership


@dataclass(frozen=True)
class Section:
    """One entry of a section navigation."""

    url_name: str  # in the namespace; takes the partnership's slug only
    label: Any
    prefix: str  # the part of the address after the first section's that marks a page as in this section
    also: tuple[str, ...] = ()  # for the first section (prefix ""): other addresses that are part of it


def section_links(
    request: HttpRequest, partnership: Partnership, *, namespace: str, sections: Sequence[Section]
) -> list[dict[str, Any]]:
    """Each section's address, and whether the page shown is in it; a section not built yet is left out."""
    kwargs = {"partnership": partnership.slug}
    base = reverse(f"{namespace}:{sections[0].url_name}", kwargs=kwargs)
    rest = request.path[len(base) :] if request.path.startswith(base) else None
    found = []
    for section in sections:
        try:
            url = reverse(f"{namespace}:{section.url_name}", kwargs=kwargs)
        except NoReverseMatch:
            continue
        current = rest is not None and (
            rest.startswith(section.prefix) if section.prefix else rest in ("", *section.also)
        )
        found.append({"url": url, "label": section.label, "current": current})
    return found
