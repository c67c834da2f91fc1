from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("quota_portal.core.urls")),
    path("accounts/", include("quota_portal.core.accounts_urls")),
    path("applications/", include("applications.urls")),
    path("commissions/", include("commissions.urls")),
    path("allocation/", include("allocation.urls")),
    path("ministry/submissions/", include("allocation.ministry_submission_urls")),
    path("ministry/national/", include("allocation.national_urls")),
    path("ministry/quota/", include("allocation.publication_urls")),
    path("public/quota/", include("allocation.publication_public_urls")),
    path("ministry/quota/", include("allocation.redistribution_ministry_urls")),
    path("ministry/quota/", include("allocation.scenario_urls")),
    path("admin/", admin.site.urls),
]
