from django.urls import path

from . import views

app_name = "commissions"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("inbox.xlsx", views.inbox_export, {"fmt": "xlsx"}, name="inbox_xlsx"),
    path("inbox.csv", views.inbox_export, {"fmt": "csv"}, name="inbox_csv"),
    path("applications/<int:pk>/", views.review, name="review"),
    path("to-commission/", views.to_commission, name="to_commission"),
    path("labour-market/", views.figures, name="figures"),
    path("labour-market/new/", views.figure_edit, name="figure_new"),
    path("labour-market/<int:pk>/", views.figure_edit, name="figure_edit"),
    path("labour-market/template.xlsx", views.figures_template, name="figures_template"),
    path("labour-market/import/", views.figures_import, name="figures_import"),
    path("violations/", views.violations, name="violations"),
    path("violations/<int:pk>/", views.violation_edit, name="violation_edit"),
    path("commission/", views.commission, name="commission"),
    path("commission/members/new/", views.member_edit, name="member_new"),
    path("commission/members/<int:pk>/", views.member_edit, name="member_edit"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="attendance"),
    path("sessions/<int:pk>/agenda/refresh/", views.session_agenda_refresh, name="agenda_refresh"),
    path("sessions/<int:pk>/all-in-favour/", views.session_all_in_favour, name="all_in_favour"),
    path("sessions/<int:pk>/sign/", views.session_sign, name="sign"),
    path("sessions/<int:pk>/sign/withdraw/", views.session_unsign, name="unsign"),
    path("sessions/<int:pk>/protocol.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("items/<int:pk>/decision/", views.decision, name="decision"),
    path("items/<int:pk>/conflict/", views.conflict, name="conflict"),
    path("decisions/<int:pk>/vote/", views.vote, name="vote"),
    path("decisions/<int:pk>/correct/", views.decision_correct, name="decision_correct"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
]
