"""The administrator's pages for reference data: partnerships, agencies, people, roles and calendars.

Disagreements and children are deliberately not here: an administrator manages reference data
but does not read children's records, and every read of those goes through the access policy.
"""

from __future__ import annotations

from django.contrib import admin

from resolve.partnerships.models import Agency, CalendarDay, Partnership, Person, RoleAssignment


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "nation", "procedure", "mfa_required", "retention_days")
    readonly_fields = ("procedure",)  # adopted with `resolve procedures adopt`, which keeps versions
    inlines = [CalendarDayInline]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "partnership", "matrix_agency", "email")
    list_filter = ("partnership",)
    search_fields = ("name",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "job_title", "agency", "level", "line_manager", "is_active")
    list_filter = ("partnership", "agency", "level", "is_active")
    search_fields = ("name", "email", "job_title")
    autocomplete_fields = ("line_manager", "agency")
    raw_id_fields = ("user",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("person", "role", "partnership")
    list_filter = ("partnership", "role")
