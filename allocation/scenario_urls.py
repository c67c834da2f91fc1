"""The Ministry's quota workspace, mounted at /ministry/quota/ by the project's urls (Rules p.4, p.18-20)."""
from django.urls import path

from . import scenario_views as views

app_name = "quota"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:year>/labour-force/", views.labour_force, name="labour_force"),
    path("<int:year>/labour-force/import/", views.labour_force_import, name="labour_force_import"),
    path("<int:year>/labour-force/template.csv", views.labour_force_template, name="labour_force_template"),
    path("<int:year>/picture/", views.picture, name="picture"),
    path("<int:year>/scenarios/", views.scenarios, name="scenarios"),
    path("<int:year>/scenarios/new/", views.scenario_new, name="scenario_new"),
    path("<int:year>/scenarios/preview/", views.scenario_preview, name="scenario_preview"),
    path("<int:year>/scenarios/compare/", views.compare, name="compare"),
    path("<int:year>/scenarios/<int:pk>/", views.scenario, name="scenario"),
    path("<int:year>/scenarios/<int:pk>/copy/", views.scenario_copy, name="scenario_copy"),
    path("<int:year>/scenarios/<int:pk>/delete/", views.scenario_delete, name="scenario_delete"),
    path("<int:year>/scenarios/<int:pk>/propose/", views.scenario_propose, name="scenario_propose"),
]
