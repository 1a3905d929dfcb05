"""Action pages: each does one thing to a disagreement through one service (resolve.web.actions.ActionPage).

One module for each part of the journey (its pages, their forms and its ``urlpatterns``), gathered in
``resolve.web.act.urls``; the URL names are those in ``docs/pages.md``.
"""
