from .proposals_urls import urlpatterns as proposals_urlpatterns
from .redistribution_urls import urlpatterns as redistribution_urlpatterns
from .submission_urls import akimat_patterns

app_name = "allocation"
urlpatterns: list = [*akimat_patterns, *proposals_urlpatterns, *redistribution_urlpatterns]
