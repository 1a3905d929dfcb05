"""Signing in and out: local accounts, two-factor authentication and single sign-on (django-allauth)."""
