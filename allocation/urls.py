from .proposals_urls import urlpatterns as proposals_urlpatterns
from .submission_urls import akimat_patterns

app_name = "allocation"
urlpatterns: list = [*akimat_patterns, *proposals_urlpatterns]
