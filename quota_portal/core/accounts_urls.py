"""Sign-up, email confirmation, organizations and invitations (employer accounts)."""
from django.urls import path

from . import accounts_views as views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    # An emailed link's token goes into the session; the page itself has a token-less address.
    path("confirm/", views.confirm, name="confirm_account"),
    path("confirm/<str:token>/", views.confirm_link, name="confirm"),
    path("organization/new/", views.organization_new, name="organization_new"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/role/", views.member_role, name="member_role"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/", views.invitation, name="invitation_page"),
    path("invitation/<str:token>/", views.invitation_link, name="invitation"),
]
