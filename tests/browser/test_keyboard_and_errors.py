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


# --- Issue 13: the Annex 1 form and a decision with the keyboard alone ------------------------------
# Only page.keyboard: Tab / Shift+Tab to move, typing, arrows in a select and a combobox, Space for a
# box, Enter to send. No click, no fill(). Every control the focus stops at shows a focus ring.

FOCUS_RING = """() => {
  const e = document.activeElement; if (!e || e === document.body) return false;
  const s = getComputedStyle(e);
  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow && s.boxShadow !== 'none');
}"""


def tab_to(page, selector: str, *, back: bool = False, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            assert page.evaluate(FOCUS_RING), f"no visible focus on {selector}"
            return
    raise AssertionError(f"{selector} is not reached with the Tab key")


def choose_with_arrows(page, selector: str, value: str) -> None:
    tab_to(page, selector)
    for _ in range(15):
        if page.locator(selector).input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} is not reached with the arrows in {selector}")


def keyboard_login(page, email: str) -> None:
    page.goto("/accounts/login/")
    tab_to(page, "input[name=username]")
    page.keyboard.type(email)
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")


def test_an_annex_1_is_filed_with_the_keyboard_alone(page, cast, occupations):
    from applications.models import Application

    app = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                         region=cast.astana)
    keyboard_login(page, cast.employer.email)
    page.goto(f"/applications/{app.pk}/edit/")
    tab_to(page, "input[name=current_year_count]")
    page.keyboard.type("4")
    choose_with_arrows(page, "select[name=lines-0-category]", "3")
    tab_to(page, "input[name=lines-0-occupation]")
    page.keyboard.type("инженер")
    page.locator("[role=listbox] [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("input[name=lines-0-occupation]").input_value() == "2142"
    tab_to(page, "input[name=lines-0-count]")
    page.keyboard.type("5")
    rows = page.locator("#lines-table tbody tr").count()
    tab_to(page, "[data-add-row=lines]")
    page.keyboard.press("Enter")
    assert page.locator("#lines-table tbody tr").count() == rows + 1
    new = rows  # the added row's index
    choose_with_arrows(page, f"select[name=lines-{new}-category]", "4")
    tab_to(page, f"input[name=lines-{new}-occupation]")
    page.keyboard.type("Сварщ")
    page.locator("[role=listbox] [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator(f"input[name=lines-{new}-occupation]").input_value() == "7212"
    tab_to(page, f"input[name=lines-{new}-count]")
    page.keyboard.type("12")
    tab_to(page, "textarea[name=justification]")
    page.keyboard.type("Строительство школы по договору подряда № 12/2026")
    tab_to(page, "input[name=signer_position]")
    page.keyboard.type("Директор")
    tab_to(page, "input[name=signer_name]")
    page.keyboard.type("Сәдуақасова Айгерім")
    tab_to(page, "input[name=projects-0-name]")
    page.keyboard.type("Договор подряда № 12/2026")
    tab_to(page, "button[name=action][value=review]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/applications/{app.pk}/review/")
    tab_to(page, "#id_declaration")
    page.keyboard.press("Space")
    assert page.locator("#id_declaration").is_checked()
    tab_to(page, "[data-testid=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/applications/{app.pk}/receipt/*/")
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
    assert sorted(app.lines.values_list("category", "occupation__code", "count")) == [("3", "2142", 5),
                                                                                      ("4", "7212", 12)]


def test_a_decision_in_part_with_a_ground_is_recorded_with_the_keyboard_alone(page, cast, astana_case):  # noqa: F811
    from commissions.models import Decision

    welders = next(line for line in astana_case.lines if line.count == 10)
    keyboard_login(page, cast.secretary.email)
    page.goto(f"/commissions/items/{astana_case.item.pk}/decision/")
    tab_to(page, f"#id_approved_{welders.pk}")
    page.keyboard.press("Control+A")
    page.keyboard.type("6")
    tab_to(page, f"#id_grounds_{welders.pk}_0")
    page.keyboard.press("Space")
    tab_to(page, f"#id_reason_{welders.pk}")
    page.keyboard.type("В регионе 40 зарегистрированных безработных сварщиков")
    tab_to(page, f"#id_grounds_{welders.pk}_0", back=True)  # Shift+Tab reaches the ground again: still chosen
    assert page.locator(f"#id_grounds_{welders.pk}_0").is_checked()
    tab_to(page, "#all_in_favour")
    page.keyboard.press("Space")
    tab_to(page, "[data-testid=save-decision]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/commissions/sessions/*/")
    decision = Decision.objects.get()
    line = decision.lines.get(line=welders)
    assert line.approved == 6 and line.grounds and "сварщиков" in line.reason
