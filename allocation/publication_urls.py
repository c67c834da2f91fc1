"""URLs of the Ministry's review and publication of a distribution (Rules p.19), under /ministry/quota/."""
from django.urls import path

from . import publication_views as views

app_name = "publication"
urlpatterns = [
    path("distribution/", views.distribution_list, name="list"),
    path("<int:year>/distribution/<int:pk>/", views.distribution_detail, name="detail"),
    path("<int:year>/distribution/<int:pk>/approve/", views.distribution_approve, name="approve"),
    path("<int:year>/distribution/<int:pk>/decline/", views.distribution_decline, name="decline"),
    path("<int:year>/distribution/<int:pk>/withdraw/", views.distribution_withdraw, name="withdraw"),
    path("<int:year>/distribution/<int:pk>/publish/", views.distribution_publish, name="publish"),
]
