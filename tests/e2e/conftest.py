"""The whole-cycle test reuses the browser fixtures (Debian's chromium through Playwright)."""
from tests.browser.conftest import browser  # noqa: F401  (a fixture, found by pytest through this import)
