"""Issue 8's small ones on the employer's side: the duplicate-application error leads to the existing
application; "Submit" needs the declaration, whose text is kept with the submitted version."""
from __future__ import annotations

import pytest
from django.utils import translation

from applications.models import Application, Version
from applications.services import DECLARATION

pytestmark = pytest.mark.django_db


def test_the_duplicate_application_error_links_to_the_existing_one(cast, draft):
    c = cast.client(cast.employer)
    response = c.post("/applications/new/", {"campaign": cast.next_campaign.pk, "region": cast.astana.pk})
    html = response.content.decode()
    assert response.status_code == 200 and "already has an application" in html
    assert f'href="/applications/{draft.pk}/"' in html
    assert Application.objects.filter(organization=cast.org, campaign=cast.next_campaign).count() == 1


def test_submit_without_the_declaration_is_refused_and_nothing_is_submitted(cast, draft):
    c = cast.client(cast.employer)
    review = c.get(f"/applications/{draft.pk}/review/").content.decode()
    assert 'name="declaration"' in review and "I declare that the information" in review
    response = c.post(f"/applications/{draft.pk}/submit/", {"revision": draft.revision}, follow=True)
    assert "Tick the declaration to submit the application." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT and not Version.objects.filter(application=draft).exists()


def test_the_declaration_text_is_stored_with_the_version(cast, draft, settings):
    c = cast.client(cast.employer)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    c.post(f"/applications/{draft.pk}/submit/", {"revision": draft.revision, "declaration": "on"})
    version = Version.objects.get(application=draft)
    with translation.override("ru"):  # the text as the submitter read it, in their language
        assert version.snapshot["declaration"] == str(DECLARATION)


def test_the_upload_error_page_shows_no_green_saved_next_to_the_red_not_loaded(cast, occupations, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import form_data, make_xlsx_bytes

    data = form_data(draft, [("3", "2142", "", "7")], justification="Сохранено", action="upload")
    data["upload-file"] = SimpleUploadedFile("lines.xlsx", make_xlsx_bytes([["4", "7212", "", 0]]))
    c = cast.client(cast.employer)
    html = c.post(f"/applications/{draft.pk}/edit/", data).content.decode()
    assert 'data-testid="upload-errors"' in html and 'data-testid="typed-kept"' in html
    assert "Draft saved." not in html and "alert-success" not in html
    # Nor does the message wait for the next page.
    assert "Draft saved." not in c.get(f"/applications/{draft.pk}/edit/").content.decode()
    # A save without a file still says so.
    draft.refresh_from_db()
    response = c.post(f"/applications/{draft.pk}/edit/", form_data(draft, [("3", "2142", "", "7")]), follow=True)
    assert "Draft saved." in response.content.decode()
