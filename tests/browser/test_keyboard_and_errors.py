"""Issue 8, keyboard and screen readers: the occupation autocomplete is an ARIA combobox chosen
with the arrow keys and Enter; a row's inputs are named for their row; the header marks the page
shown and its links meet 4.5:1; the error summary takes the focus and its links move it to the field."""
from __future__ import annotations

import pytest

from applications import services as app_services
from applications.models import Line
from tests.browser.conftest import login
from tests.commissions.conftest import astana_case  # noqa: F401  (fixture)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(cast, occupations):
    app = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                         region=cast.astana)
    Line.objects.create(application=app, category="3", occupation=occupations.o2142, count=5, position=0)
    Line.objects.create(application=app, category="4", occupation=occupations.o7212, count=12, position=1)
    return app


def active(page, what="id"):
    return page.evaluate(f"document.activeElement && document.activeElement.{what}")


def test_an_occupation_is_chosen_with_the_keyboard_only(page, cast, draft):
    login(page, cast.employer.email, PASSWORD)
    page.goto(f"/applications/{draft.pk}/edit/")
    field = page.locator("#id_lines-2-occupation")  # the empty third row
    assert field.get_attribute("role") == "combobox" and field.get_attribute("aria-expanded") == "false"
    field.focus()
    page.keyboard.type("гражданскому строительству")
    listbox = page.locator("#" + field.get_attribute("aria-controls"))
    listbox.wait_for()
    assert listbox.get_attribute("role") == "listbox" and field.get_attribute("aria-expanded") == "true"
    options = listbox.locator("[role=option]")
    assert options.count() == 2
    page.keyboard.press("ArrowDown")
    first_id = options.nth(0).get_attribute("id")
    assert field.get_attribute("aria-activedescendant") == first_id
    assert options.nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowDown")
    second = options.nth(1)
    assert field.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert options.nth(0).get_attribute("aria-selected") == "false"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    code = second.get_attribute("data-code")
    page.keyboard.press("Enter")
    assert field.input_value() == code and code in ("2142", "3112")
    assert field.get_attribute("aria-expanded") == "false" and not page.locator("[role=listbox]").count()
    assert active(page) == "id_lines-2-occupation"  # the focus stays in the field; the form was not sent
    assert page.url.endswith("/edit/")


def test_the_inputs_of_row_2_are_named_for_their_row(page, cast, draft):
    login(page, cast.employer.email, PASSWORD)
    page.goto(f"/applications/{draft.pk}/edit/")
    for name in ("Категория, строка 2", "Количество, строка 2", "Специальность, строка 2"):
        assert page.get_by_label(name, exact=True).count() == 1, name
    assert page.get_by_label("Количество, строка 2", exact=True).input_value() == "12"
    page.click("[data-add-row=lines]")
    assert page.get_by_label("Количество, строка 4", exact=True).count() == 1  # a row added by the script


def test_the_header_marks_the_page_shown_and_its_links_meet_4_5_to_1(page, cast, draft):
    login(page, cast.employer.email, PASSWORD)
    page.goto("/applications/")
    current = page.locator(".qp-navbar [aria-current=page]")
    assert current.count() == 1 and "Заявки" in current.inner_text()
    page.goto(f"/applications/{draft.pk}/edit/")  # a page under the entry keeps it marked
    assert "Заявки" in page.locator(".qp-navbar [aria-current=page]").inner_text()
    page.goto("/dashboard/")
    assert "Рабочий стол" in page.locator(".qp-navbar [aria-current=page]").inner_text()
    ratios = page.evaluate("""() => {
      const rgb = s => s.match(/[\\d.]+/g).map(Number);
      const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
      const bg = rgb(getComputedStyle(document.querySelector('.qp-navbar')).backgroundColor);
      return [...document.querySelectorAll('.qp-navbar .nav-link, .qp-navbar .navbar-brand')].map(a => {
        const [r, g, b, al = 1] = rgb(getComputedStyle(a).color);
        const fg = [r, g, b].map((c, i) => c * al + bg[i] * (1 - al));
        const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        return [a.innerText.trim(), (l1 + 0.05) / (l2 + 0.05)];
      });
    }""")
    assert len(ratios) >= 3
    assert all(ratio >= 4.5 for _text, ratio in ratios), ratios


def test_the_error_summary_takes_the_focus_and_its_link_moves_it_to_the_field(page, cast, astana_case):  # noqa: F811
    l1, l2 = astana_case.lines
    login(page, cast.secretary.email, PASSWORD)
    page.goto(f"/commissions/items/{astana_case.item.pk}/decision/")
    page.fill(f"#id_approved_{l1.pk}", "1")
    page.fill(f"#id_approved_{l2.pk}", "2")
    page.get_by_test_id("save-decision").click()
    page.wait_for_load_state()
    summary = page.get_by_test_id("error-summary")
    assert summary.get_attribute("role") == "alert" and "Возникла проблема" in summary.inner_text()
    assert page.title().startswith("Ошибка: ")
    assert page.evaluate("document.activeElement.classList.contains('qp-error-summary')")
    assert summary.locator("a").count() == 4
    summary.locator(f'a[href="#id_reason_{l2.pk}"]').click()
    assert active(page) == f"id_reason_{l2.pk}"
    summary.locator(f'a[href="#id_grounds_{l1.pk}_0"]').click()
    assert active(page) == f"id_grounds_{l1.pk}_0"
    page.keyboard.press("Space")  # the focused box is the field: the user fixes it from there
    assert page.locator(f"#id_grounds_{l1.pk}_0").is_checked()
