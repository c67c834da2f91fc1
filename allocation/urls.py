from .proposals_urls import urlpatterns as proposals_urlpatterns

app_name = "allocation"
urlpatterns: list = [
    *proposals_urlpatterns,
]
