"""A partnership's own administration pages (``/manage/<partnership>/...``): thin faces over its services.

Only the partnership's administrators reach them (``base.administers``): anyone else signed in gets
a 403 page, another partnership's administrator the same 404 as a partnership that does not exist,
and someone signed out the sign-in page. Each page calls one service or selector, which checks who
is asking again (``partnerships.services.administrator_check``) and audits every change.

Each section is its own module with its own ``urlpatterns``, included by ``urls.py``.
"""
