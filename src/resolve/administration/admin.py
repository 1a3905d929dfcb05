"""Django's admin for every model, limited to the partnerships the staff account administers.

Django's admin discovers this module; the modules it imports register their pages. Installed
after django-allauth, so that allauth's own pages for accounts' addresses and authenticators are
replaced by scoped, audited ones.
"""

from resolve.administration import accounts, audit, notifications, partnerships

__all__ = ["accounts", "audit", "notifications", "partnerships"]
