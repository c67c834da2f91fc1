from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_start, name="start"),
    path("occupations/", views.occupation_search, name="occupations"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/review/", views.application_review, name="review"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/copy/", views.application_copy, name="copy"),
    path("<int:pk>/receipt/<int:number>/", views.receipt, name="receipt"),
    path("<int:pk>/receipt/<int:number>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/annex1.pdf", views.annex1_pdf, name="annex1_pdf"),
    path("<int:pk>/annex1.xlsx", views.annex1_xlsx, name="annex1_xlsx"),
    path("<int:pk>/lines/template.xlsx", views.lines_template, name="lines_template"),
    path("<int:pk>/lines/upload/", views.lines_upload, name="lines_upload"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:att>/", views.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:att>/remove/", views.attachment_remove, name="attachment_remove"),
]
