"""The record of a disagreement for the child's file and each agency's file (being built)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
