"""URLs of central-body proposals (Rules p.13), under /allocation/proposals/."""
from django.urls import path

from . import proposals_views as views

urlpatterns = [
    path("proposals/", views.central_list, name="proposals"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/received/", views.received_list, name="proposals_received"),
    path("proposals/agreed/", views.agreed_list, name="proposals_agreed"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/send/", views.proposal_send, name="proposal_send"),
    path("proposals/<int:pk>/delete/", views.proposal_delete, name="proposal_delete"),
    path("proposals/<int:pk>/agree/", views.proposal_agree, name="proposal_agree"),
    path("proposals/<int:pk>/decline/", views.proposal_decline, name="proposal_decline"),
]
