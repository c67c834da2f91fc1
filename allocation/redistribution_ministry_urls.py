"""The Ministry's pages of redistribution and use, mounted at /ministry/quota/ by the project's urls."""
from django.urls import path

from . import redistribution_views as views

app_name = "redistribution"
urlpatterns = [
    path("redistributions/", views.queue_current, name="queue_current"),
    path("use/", views.use_current, name="use_current"),
    path("<int:year>/redistributions/", views.queue, name="queue"),
    path("<int:year>/use/", views.ministry_use, name="use"),
]
