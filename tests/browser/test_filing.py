"""From sign-up to the receipt PDF in the browser, in Russian and in Kazakh (Rules p.6, Annex 1)."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core import mail
from openpyxl import Workbook

from applications.models import Application, Version
from quota_portal.core.models import Organization
from quota_portal.core.validators import make_bin_iin
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Sapar-2026-kz!"

# What the employer reads, in each language (the ru/kk catalogues are compiled and committed).
TEXT = {
    "saved": {"ru": "Черновик сохранён.", "kk": "Жоба сақталды."},
    "count_column": {"ru": "D (Количество работников)", "kk": "D (Қызметкерлер саны)"},
    "count_error": {"ru": "Количество работников должно быть не меньше 1 (вы ввели 0).",
                    "kk": "Қызметкерлер саны кемінде 1 болуы тиіс (сіз 0 енгіздіңіз)."},
    "received": {"ru": "Заявка принята", "kk": "Өтінім қабылданды"},
    "withdrawn": {"ru": "Заявка отозвана и снова стала черновиком; измените её и подайте до истечения срока.",
                  "kk": "Өтінім кері қайтарылып, қайтадан жобаға айналды; оны өзгертіп, мерзімі өткенге дейін беріңіз."},
}


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Lines"
    ws.append(["category", "occupation", "specialty", "count"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("lang, bin11", [("ru", "21014000078"), ("kk", "21014000079")])
def test_an_employer_files_an_application_from_sign_up_to_the_receipt_pdf(page, cast, occupations, lang, bin11,
                                                                          tmp_path):
    email = f"filer-{lang}@example.kz"
    # The language is switched with the header buttons and stays for the whole visit.
    page.goto("/accounts/signup/")
    page.click(f"button[data-lang={lang}]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == lang

    page.fill("input[name=email]", email)
    page.fill("input[name=full_name]", "Айгерім Сәдуақасова")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main form button[type=submit]")
    page.get_by_test_id("signup-sent").wait_for()
    link = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+)", mail.outbox[-1].body).group(1)

    page.goto(link)  # asks for the sign-up password, activates the account, asks to log in
    page.get_by_test_id("confirm-account").wait_for()
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/login/?next=*")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/organization/new/")
    page.fill("input[name=bin_iin]", "12345")  # a bad BIN first: refused, input kept
    page.fill("input[name=name]", "ТОО «Жаңа Құрылыс»")
    page.fill("input[name=legal_address]", "г. Астана, ул. Сарайшык, 5")
    page.select_option("select[name=region]", str(cast.astana.pk))
    page.click("main form button[type=submit]")
    assert page.input_value("input[name=name]") == "ТОО «Жаңа Құрылыс»"
    assert page.locator(".invalid-feedback").count() >= 1
    page.fill("input[name=bin_iin]", make_bin_iin(bin11))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    assert page.get_attribute("html", "lang") == lang

    page.get_by_test_id("applications-panel").locator("a.btn-primary").click()
    page.wait_for_url("**/applications/new/")
    page.get_by_test_id("ict-notice").wait_for()
    page.select_option("select[name=campaign]", str(cast.next_campaign.pk))
    page.select_option("select[name=region]", str(cast.astana.pk))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/applications/\d+/edit/$"))

    page.fill("input[name=current_year_count]", "4")
    page.select_option("select[name=lines-0-category]", "3")
    page.fill("input[name=lines-0-occupation]", "")
    page.type("input[name=lines-0-occupation]", "инженер", delay=30)
    page.locator(".qp-ac-menu li[data-code='2142']").click()
    assert page.input_value("input[name=lines-0-occupation]") == "2142"
    page.fill("input[name=lines-0-count]", "5")
    page.fill("textarea[name=justification]", "Строительство школы по договору подряда № 12/2026")
    page.fill("input[name=signer_position]", "Директор")
    page.fill("input[name=signer_name]", "Сәдуақасова Айгерім")
    page.fill("input[name=projects-0-name]", "Договор подряда № 12/2026")
    page.fill("input[name=projects-0-date]", "2026-06-27")
    page.click("button[name=action][value=save]")
    page.wait_for_load_state()
    app = Application.objects.get(organization=Organization.objects.get(bin_iin=make_bin_iin(bin11)))
    assert app.lines.count() == 1
    assert TEXT["saved"][lang] in page.locator("main").inner_text()
    # Saving again what the page shows keeps the project's date (the input is ISO in every language).
    assert page.input_value("input[name=projects-0-date]") == "2026-06-27"
    page.click("button[name=action][value=save]")
    page.wait_for_load_state()
    assert list(app.projects.values_list("date", flat=True)) == [dt.date(2026, 6, 27)]

    # Leaving with unsaved changes asks first.
    page.fill("input[name=signer_position]", "Генеральный директор")
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    page.evaluate("window.location.href = '/dashboard/'")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "/edit/" in page.url

    # Attaching a file first saves what was typed above (not yet saved).
    contract = tmp_path / "договор.pdf"
    contract.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    page.locator("input[name=attachment-file]").set_input_files(str(contract))
    page.get_by_test_id("attach").click()
    page.wait_for_load_state()
    app.refresh_from_db()
    assert app.signer_position == "Генеральный директор"
    assert list(app.attachments.values_list("original_name", flat=True)) == ["договор.pdf"]
    assert page.input_value("input[name=signer_position]") == "Генеральный директор"
    rows = page.locator("#lines-table tbody tr").count()
    page.click("[data-add-row=lines]")
    assert page.locator("#lines-table tbody tr").count() == rows + 1
    assert page.input_value("#id_lines-TOTAL_FORMS") == str(rows + 1)
    screenshot(page, f"filing-edit-{lang}")

    # Bulk lines: a file with an error changes nothing and lists the row; the fixed file replaces the lines.
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad.write_bytes(xlsx([["3", "2142", "", 5], ["4", "7212", "", 0]]))
    good.write_bytes(xlsx([["3", "2142", "", 5], ["4", "7212", "", 12]]))
    page.locator("input[name=upload-file]").set_input_files(str(bad))
    page.get_by_test_id("lines-upload").click()
    errors = page.get_by_test_id("upload-errors")
    errors.wait_for()
    cells = page.locator("table tbody tr").first.locator("td").all_inner_texts()
    assert cells == ["3", TEXT["count_column"][lang], TEXT["count_error"][lang]]
    assert app.lines.count() == 1
    screenshot(page, f"filing-upload-errors-{lang}")
    page.goto(f"/applications/{app.pk}/edit/")
    page.locator("input[name=upload-file]").set_input_files(str(good))
    page.get_by_test_id("lines-upload").click()
    page.wait_for_load_state()
    assert sorted(app.lines.values_list("count", flat=True)) == [5, 12]

    page.click("button[name=action][value=review]")
    page.wait_for_url(f"**/applications/{app.pk}/review/")
    page.get_by_test_id("self-check").wait_for()
    screenshot(page, f"filing-review-{lang}")
    page.get_by_test_id("declaration").check()
    page.get_by_test_id("submit").dblclick()
    page.get_by_test_id("receipt").wait_for()
    number = page.get_by_test_id("registration-number").inner_text().strip()
    assert re.fullmatch(r"2028-710000000-\d{6}", number)
    assert Version.objects.filter(application=app).count() == 1
    assert page.get_attribute("html", "lang") == lang
    assert TEXT["received"][lang] in page.get_by_test_id("receipt").inner_text()
    screenshot(page, f"filing-receipt-{lang}")
    with page.expect_download() as download:
        page.get_by_test_id("receipt-pdf").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")

    # Withdraw (the reason is kept), re-save the saved data unchanged, and submit again: version 2.
    page.goto(f"/applications/{app.pk}/withdraw/")
    page.fill("textarea[name=reason]", "Уточнить число работников")
    page.click("main form button.btn-warning")
    page.wait_for_url(f"**/applications/{app.pk}/edit/")
    assert TEXT["withdrawn"][lang] in page.locator("main").inner_text()
    page.click("button[name=action][value=review]")
    page.wait_for_url(f"**/applications/{app.pk}/review/")
    page.get_by_test_id("declaration").check()
    page.get_by_test_id("submit").click()
    page.get_by_test_id("receipt").wait_for()
    assert Version.objects.filter(application=app).count() == 2
    assert list(app.projects.values_list("date", flat=True)) == [dt.date(2026, 6, 27)]
    assert Version.objects.get(application=app, number=2).snapshot["projects"][0]["date"] == "2026-06-27"
    assert [a["name"] for a in Version.objects.get(application=app, number=2).snapshot["attachments"]] == [
        "договор.pdf"]
    page.goto(f"/applications/{app.pk}/versions/2/")
    assert "27.06.2026" in page.locator("main").inner_text()
    screenshot(page, f"filing-version-{lang}")
