"""The Ministry's national view, mounted at /ministry/national/ by the project's urls."""
from django.urls import path

from . import national_views as views

app_name = "national"
urlpatterns = [
    path("", views.national_current, name="current"),
    path("<int:year>/", views.national, name="national"),
    path("<int:year>/employers/", views.employers, name="employers"),
    path("<int:year>/regions/<str:code>/", views.region, name="region"),
    path("<int:year>/regions/<str:code>/v<int:number>/", views.version, name="version"),
    path("<int:year>/regions/<str:code>/diff/<int:old>-<int:new>/", views.diff, name="diff"),
    path("<int:year>/regions/<str:code>/organizations/<int:org_id>/", views.organization, name="organization"),
    path("protocols/<int:pk>.pdf", views.protocol_pdf, name="protocol_pdf"),
]
