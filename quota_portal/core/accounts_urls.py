"""Sign-up, email confirmation, organizations and invitations (employer accounts)."""
app_name = "accounts"
urlpatterns: list = []
