"""The audit trail in the admin: read only, and exportable for a disagreement or a person.

Nobody can add, change or delete an entry here (the table is append-only everywhere). The admin is
for superusers (administration/admin.py); a partnership's administrators export their own
partnership's trail at /manage/<partnership>/audit/. An export is itself an entry in the trail.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from resolve.accounts.trail_export import FORMATS, TrailExport, trail_export
from resolve.administration.scope import ScopedAdmin
from resolve.audit.models import Event
from resolve.core.errors import ResolveError
from resolve.partnerships.models import Person


def download(export: TrailExport, fmt: str) -> HttpResponse:
    response = HttpResponse(export.as_text(fmt), content_type=export.content_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="{export.filename(fmt)}"'
    return response


class ExportForm(forms.Form):
    disagreement = forms.CharField(required=False, label="Disagreement identifier")
    person = forms.CharField(required=False, label="Person identifier (for a subject access request)")
    format = forms.ChoiceField(choices=[(f, f.upper()) for f in FORMATS], initial="csv")


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    list_display = ("id", "at", "verb", "partnership", "actor_id", "disagreement_id", "remote_addr")
    list_filter = ("verb", ("partnership", RelatedOnlyFieldListFilter))
    search_fields = ("=disagreement__id", "=actor__id")
    ordering = ("-id",)
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        export = path("export/", self.admin_site.admin_view(self.export_view), name="audit_event_export")
        return [export, *super().get_urls()]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """Download the trail for one disagreement or one person; a mistake is shown on the form (400)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExportForm(request.POST or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    export = trail_export(
                        disagreement_id=form.cleaned_data["disagreement"],
                        person_id=form.cleaned_data["person"],
                        by=request.user,
                    )
                    return download(export, form.cleaned_data["format"])
                except ResolveError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = 400
        context = {**self.admin_site.each_context(request), "form": form, "title": "Export the audit trail"}
        return TemplateResponse(request, "admin/audit/event/export.html", context, status=status)


@admin.action(description="Export the audit trail for this person (subject access request)")
def export_person_trail(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Person]) -> Any:
    if queryset.count() != 1:
        modeladmin.message_user(request, "Choose exactly one person to export the trail for.", messages.ERROR)
        return None
    export = trail_export(person_id=str(queryset.get().pk), by=request.user)
    return download(export, "csv")
