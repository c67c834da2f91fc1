"""The whole-cycle walk's check of Russian screens finds English UI words and lets codes through
(runs in `make test`; the walk itself is `make e2e`)."""
from tests.e2e.test_whole_cycle import latin_words


def test_english_words_are_found_and_codes_file_names_and_standards_are_not():
    russian = ("Решение (PDF, с подписью) · JSON · XLSX · schema.json · подписано (PAdES) · "
               "owner@example.kz · Время указано по Астане (Asia/Almaty) · SHA-256: 84741e541c582b4c17b76f · 2142")
    assert latin_words(russian) == set()
    assert latin_words("Черновик · Save the draft · Заявка") == {"Save", "the", "draft"}
