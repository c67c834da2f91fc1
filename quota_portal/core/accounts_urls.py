"""Sign-up, email confirmation, organizations and invitations (employer accounts)."""
from django.urls import path

from . import accounts_views as views
from . import two_factor_views

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
    # Two-factor login (core/two_factor.py).
    path("two-factor/", two_factor_views.profile, name="two_factor"),
    path("two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
    path("two-factor/setup/qr.svg", two_factor_views.qr, name="two_factor_qr"),
    path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", two_factor_views.recovery, name="two_factor_recovery"),
    path("two-factor/recovery-codes.txt", two_factor_views.recovery_download, name="two_factor_recovery_download"),
    path("two-factor/recovery-codes/new/", two_factor_views.recovery_regenerate, name="two_factor_recovery_new"),
    path("two-factor/disable/", two_factor_views.disable, name="two_factor_disable"),
    path("two-factor/reset/", two_factor_views.reset_search, name="two_factor_reset_search"),
    path("two-factor/reset/<int:pk>/", two_factor_views.reset, name="two_factor_reset"),
]
