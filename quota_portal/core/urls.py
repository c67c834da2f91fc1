from django.contrib.auth import views as auth_views
from django.urls import path

from . import ops_views, views

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon),
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.set_language, name="set_language"),
    path("acting-as/", views.switch_membership, name="switch_membership"),
    path("inbox/", views.inbox, name="inbox"),
    path("profile/reminders/", views.reminders, name="reminders"),
    path("inbox/<int:pk>/", views.inbox_message, name="inbox_message"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("ministry/campaigns/", views.ministry_campaigns, name="ministry_campaigns"),
    path("ministry/campaigns/open/", views.ministry_campaign_open, name="ministry_campaign_open"),
    path("ministry/campaigns/<int:year>/", views.ministry_campaign_edit, name="ministry_campaign_edit"),
    path("ministry/calendar/", views.ministry_calendar, name="ministry_calendar"),
    path("ministry/calendar/<int:pk>/remove/", views.ministry_calendar_remove, name="ministry_calendar_remove"),
    path("ministry/overdue/", views.ministry_overdue, name="ministry_overdue"),
    path("ministry/operations/", ops_views.operations, name="ministry_operations"),
    path("ministry/operations/outages/", ops_views.outage_record, name="ministry_outage_record"),
    path("ministry/operations/outages/<int:pk>/extend/", ops_views.outage_extend, name="ministry_outage_extend"),
    path("ministry/operations/outbox/retry/", ops_views.outbox_retry, name="ministry_outbox_retry"),
    path("ministry/countries/", views.ministry_countries, name="ministry_countries"),
    path("ministry/countries/<str:alpha2>/", views.ministry_country_edit, name="ministry_country_edit"),
]
