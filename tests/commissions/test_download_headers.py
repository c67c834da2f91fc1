"""Issue 9: the Commission's downloads (protocol, notice, figures template) go through one helper."""
from __future__ import annotations

from django.urls import reverse

from tests.commissions.test_views import signed_case  # noqa: F401 - the fixture


def test_the_commissions_downloads_are_no_store_with_an_rfc_6266_name(cast, signed_case):  # noqa: F811
    cases = [(cast.secretary, reverse("commissions:protocol_pdf", args=[signed_case.session.pk]), "inline"),
             (cast.employer, reverse("commissions:notice_pdf", args=[signed_case.notice.pk]), "inline"),
             (cast.akimat_officer, reverse("commissions:figures_template"), "attachment")]
    for user, url, disposition in cases:
        response = cast.client(user).get(url)
        assert response.status_code == 200, url
        header = response["Content-Disposition"]
        assert header.startswith(f"{disposition}; filename=\"") and "; filename*=UTF-8''" in header, header
        assert response["Cache-Control"] == "no-store" and response["Pragma"] == "no-cache", url
