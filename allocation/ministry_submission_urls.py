"""The Ministry's read-only pages of a region's submission, at /ministry/submissions/."""
from django.urls import path

from . import submission_views as views

app_name = "submissions_ministry"
urlpatterns = [
    path("<int:year>/<str:code>/", views.ministry_region, name="region"),
    path("<int:year>/<str:code>/v<int:number>/", views.ministry_version, name="version"),
    path("<int:year>/<str:code>/v<int:number>/files/", views.ministry_file_request,
         name="file_request"),
    path("files/<int:pk>/", views.file_status_ministry, name="file"),
    path("files/<int:pk>/download/", views.file_download_ministry, name="file_download"),
]
