from allauth.account.decorators import secure_admin_login
from allauth.account.views import LogoutView
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from resolve.accounts import views as accounts
from resolve.web import messages as message_pages
from resolve.web import procedure as procedure_pages
from resolve.web import records, views

# The admin signs in through the same page as everyone else: lockout and two-factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", views.home, name="home"),
    path("disagreements/", views.disagreements, name="disagreements"),
    path("disagreements/<uuid:pk>/", views.disagreement, name="disagreement"),
    # the action pages (resolve.web.act): one service call each
    path("disagreements/<uuid:pk>/", include("resolve.web.act.urls")),
    # the record for the child's file and each agency's file, as PDF and Word (resolve.web.records)
    path("disagreements/<uuid:pk>/", include(records.urlpatterns)),
    path("procedure/", procedure_pages.procedure, name="procedure"),
    path("procedure/<slug:pathway>/", procedure_pages.procedure_pathway, name="procedure_pathway"),
    path("oversight/", views.oversight, name="oversight"),
    # a partnership's dashboard, reports to the board and learning log (resolve.web.oversight)
    path("oversight/", include("resolve.web.oversight.urls")),
    # the messages sent to the person signed in (resolve.web.messages), and what could not be sent
    path("messages/", message_pages.messages, name="messages"),
    path("messages/<int:message>/", message_pages.message, name="message"),
    path("partnership/messages/", message_pages.messages_not_sent, name="messages_not_sent"),
    # a partnership's own administration pages (resolve.web.manage): its administrators only
    path("manage/", include("resolve.web.manage.urls")),
    # raising a disagreement: question pages, check your answers, confirmation (resolve.web.raising)
    path("raise/", include("resolve.web.raising")),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("sign-in/", accounts.SignInView.as_view(), name="login"),
    path("sign-out/", LogoutView.as_view(), name="logout"),
    path("sign-out-everywhere/", accounts.sign_out_everywhere, name="sign_out_everywhere"),
    # django-allauth's pages (two-factor set-up, passwords, sessions, single sign-on callbacks);
    # its own sign-in address leads to Resolve's.
    path("account/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    # allauth's e-mail page, refusing to make an unverified address the account's own.
    path("account/email/", accounts.EmailAddressesView.as_view(), name="account_email"),
    path("account/", include("allauth.urls")),
]
