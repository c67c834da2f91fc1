"""The published quota for everyone, without login (Rules p.19), under /public/quota/."""
from django.urls import path, re_path

from . import publication_views as views

app_name = "public_quota"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("schema.json", views.public_schema, name="schema"),
    path("<int:year>/", views.public_year, name="year"),
    re_path(r"^(?P<year>[0-9]{4})\.(?P<fmt>json|csv|xlsx|pdf)$", views.public_file, name="file"),
]
