from .submission_urls import akimat_patterns

app_name = "allocation"
urlpatterns: list = [*akimat_patterns]
