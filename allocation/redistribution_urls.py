"""URLs of redistribution (Rules p.21) and of permits used (p.5): under /allocation/ (the requesting
authorities, the akimat's permits) and, as `ministry_patterns`, under /ministry/quota/ (the Ministry)."""
from django.urls import path

from . import redistribution_views as views

urlpatterns = [
    path("redistributions/", views.redistribution_list, name="redistributions"),
    path("redistributions/new/", views.redistribution_new, name="redistribution_new"),
    path("redistributions/<int:pk>/", views.redistribution_detail, name="redistribution_detail"),
    path("redistributions/<int:pk>/withdraw/", views.redistribution_withdraw, name="redistribution_withdraw"),
    path("redistributions/<int:pk>/endorse/", views.redistribution_endorse, name="redistribution_endorse"),
    path("redistributions/<int:pk>/approve/", views.redistribution_approve, name="redistribution_approve"),
    path("redistributions/<int:pk>/decline/", views.redistribution_decline, name="redistribution_decline"),
    path("permits/", views.permits, name="permits"),
    path("permits/import/", views.permits_import, name="permits_import"),
    path("permits/template.xlsx", views.permits_template, name="permits_template"),
    path("use/", views.akimat_use, name="use"),
]
