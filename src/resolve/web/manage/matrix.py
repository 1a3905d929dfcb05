"""Administration pages: the seniority matrix, levels by agency column, one text box per cell.

The adopted procedure's matrix is the starting point; what an administrator types is the
partnership's correction (``resolve.partnerships.matrix``). One save is one service call, which
stores and records only the cells that changed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from resolve.core.errors import ResolveError
from resolve.partnerships.matrix import SeniorityMatrix, seniority_matrix_for, seniority_titles_set
from resolve.partnerships.models import Partnership
from resolve.web.forms import GovForm
from resolve.web.manage.base import administers, page


class MatrixForm(GovForm):
    """One optional text box per cell, labelled with its column and level ("Met Police, Level 4").

    Lengths and characters are the service's to check, so that its message names the cell; a cell
    the browser did not send is left as it is.
    """

    def __init__(self, matrix: SeniorityMatrix, *args: Any, **kwargs: Any) -> None:
        self.cells: dict[str, tuple[str, int]] = {}
        super().__init__(*args, **kwargs)
        for level, cells in matrix.rows:
            for column, cell in zip(matrix.columns, cells, strict=True):
                field = forms.CharField(
                    label=_("%(column)s, %(level)s") % {"column": column.name, "level": level.name},
                    required=False,
                    strip=False,
                    initial=cell.title,
                )
                field.validators = []  # NUL characters too: the service refuses them, naming the cell
                self.fields[cell.field] = field
                self.cells[cell.field] = (cell.column, cell.level)
                self._style(cell.field, field)

    def titles(self) -> dict[tuple[str, int], str]:
        return {key: self.cleaned_data[name] for name, key in self.cells.items() if name in self.data}


def _page(
    request: HttpRequest, partnership: Partnership, form: MatrixForm, matrix: SeniorityMatrix, status: int = 200
) -> HttpResponse:
    rows = [(level, [(cell, form[cell.field]) for cell in cells]) for level, cells in matrix.rows]
    return page(
        request,
        partnership,
        "web/manage/matrix/matrix.html",
        {"matrix": matrix, "form": form, "rows": rows},
        status=status,
    )


@administers
@require_http_methods(["GET", "HEAD", "POST"])
def matrix(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    shown = seniority_matrix_for(partnership=partnership)
    if request.method != "POST":
        return _page(request, partnership, MatrixForm(shown), shown)
    form = MatrixForm(shown, data=request.POST)
    if not form.is_valid():
        return _page(request, partnership, form, shown, status=400)
    try:
        changed = seniority_titles_set(partnership=partnership, titles=form.titles(), by=request.user)
    except ResolveError as error:
        form.refuse(error)
        return _page(request, partnership, form, shown, status=error.status)
    if changed:
        messages.success(
            request,
            ngettext(
                "%(count)s cell of the seniority matrix was saved.",
                "%(count)s cells of the seniority matrix were saved.",
                len(changed),
            )
            % {"count": len(changed)},
        )
    else:
        messages.success(request, _("Nothing was changed: every title is as it was."))
    return HttpResponseRedirect(reverse("manage:matrix", kwargs={"partnership": partnership.slug}), status=303)


urlpatterns: list[URLPattern] = [path("matrix/", matrix, name="matrix")]
