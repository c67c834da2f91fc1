"""URLs of the regional submissions, added to the allocation namespace: the akimat's under
/allocation/submissions/, the Ministry's under /ministry/submissions/ (quota_portal/urls.py)."""
from django.urls import path

from . import submission_views as views

akimat_patterns = [
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/<int:year>/", views.submission, name="submission"),
    path("submissions/<int:year>/covering/", views.covering, name="submission_covering"),
    path("submissions/<int:year>/exclude/", views.exclude, name="submission_exclude"),
    path("submissions/<int:year>/exclude/<int:pk>/remove/", views.unexclude, name="submission_unexclude"),
    path("submissions/<int:year>/labour-immigrants/", views.labour_immigrants, name="submission_li"),
    path("submissions/<int:year>/countries/", views.country_forecast, name="submission_country"),
    path("submissions/<int:year>/send/", views.send, name="submission_send"),
    path("submissions/<int:year>/v<int:number>/", views.version, name="submission_version"),
    path("submissions/<int:year>/v<int:number>/files/", views.file_request, name="submission_file_request"),
    path("submissions/files/<int:pk>/", views.file_status_akimat, name="submission_file"),
    path("submissions/files/<int:pk>/download/", views.file_download_akimat, name="submission_file_download"),
]
