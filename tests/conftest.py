"""Fixtures every test module can use: users by role, a browser page, an axe check."""

import os
import shutil

import pytest

from tests import factories

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a page cached by one test's content, or a rate
    limit counted by another test's requests, must not leak into the next."""
    from django.core.cache import caches

    for cache in caches.all():  # the default one and the rate limits' own
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def student(db):
    return factories.UserFactory(username="sam")


@pytest.fixture
def other_student(db):
    return factories.UserFactory(username="olga")


@pytest.fixture
def instructor(db):
    return factories.InstructorFactory(username="ines")


@pytest.fixture
def staff(db):
    return factories.UserFactory(username="stella", is_staff=True, is_superuser=True)


def _chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if os.path.exists(candidate):
        return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required in CI: apt-get install chromium")
        pytest.skip("No Chromium: apt-get install chromium (or set CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


ASSET_TYPES = {"stylesheet", "script", "image", "font"}


def _new_page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))


    def on_console(message):
        # A 4xx document or htmx response is often the point of a test (a form with
        # errors answers 400); broken assets are caught below by resource type instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response):
        if response.status >= 400 and response.request.resource_type in ASSET_TYPES:
            errors.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.js_errors = errors
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (360 px wide) with JavaScript on."""
    context, page = _new_page(browser, live_server, viewport={"width": 360, "height": 800})
    yield page
    context.close()
    assert not page.js_errors, f"JavaScript errors or CSP violations: {page.js_errors}"


@pytest.fixture
def nojs_page(browser, live_server):
    """A desktop page with JavaScript off: every action must still work."""
    context, page = _new_page(
        browser, live_server, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page.javascript_enabled = False
    yield page
    context.close()


@pytest.fixture
def axe():
    """Call axe(page) to fail the test on any accessibility violation on that page.

    axe is a script, so a page with JavaScript off is checked through a scripted twin: the
    same cookies and the same served HTML, loaded on a same-origin URL that changes nothing
    (so its stylesheets apply, as colour contrast needs). One twin serves each page for the
    whole test, its cookies and storage made the page's own again before every check."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()
    twins = {}

    def scripted_twin(page):
        origin = "/".join(page.url.split("/", 3)[:3])  # scheme://host:port
        key = (id(page), origin)
        if key not in twins:
            context = page.context.browser.new_context(
                viewport=page.viewport_size,
                base_url=origin,
                color_scheme=getattr(page, "color_scheme", "light"),
            )
            twins[key] = (context, context.new_page())
            twins[key][1].goto("/healthz")
        context, target = twins[key]
        target.evaluate("localStorage.clear(); sessionStorage.clear()")
        context.clear_cookies()
        state = page.context.storage_state()
        if state["cookies"]:
            context.add_cookies(state["cookies"])
        target.set_content(page.content(), wait_until="load")
        return target

    def run_settled(target):
        # A click on a link returns once the navigation has started, not once the next page
        # is there: axe run in between finds no document, or loses it halfway. Wait for the
        # page to load, and run once more if a navigation still replaced it under axe.
        from playwright.sync_api import Error as PlaywrightError

        target.wait_for_load_state("load")
        try:
            return checker.run(target).response["violations"]
        except PlaywrightError as error:
            if "documentElement" not in str(error) and "context was destroyed" not in str(error):
                raise
        target.wait_for_load_state("load")
        return checker.run(target).response["violations"]

    def check(page, label: str = ""):
        target = page
        if not getattr(page, "javascript_enabled", True):
            target = scripted_twin(page)
        violations = run_settled(target)
        assert not violations, f"axe found violations on {label or page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in violations
        )

    yield check
    for context, _ in twins.values():
        context.close()


def sign_in(page, username: str, password: str = factories.PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def open_menu(page):
    """On a phone the header's links sit behind "Menu" (a link without JavaScript, a button
    with it): open it, as a learner would, unless it is open already or there is no menu."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and not page.get_by_role("navigation", name="Main").is_visible():
        toggle.click()


@pytest.fixture
def course(db):
    """The real course from fixtures/course.json, with its question bank and cards.

    The first test that asks runs `load_course` for real; later ones get the same rows back
    by bulk insert, which is a hundred times faster and gives identical primary keys."""
    from tests.course_snapshot import restore_course

    restore_course()


@pytest.fixture(scope="module")
def module_course(django_db_setup, django_db_blocker):
    """The real course loaded once for a whole test module, rolled back after its last test.

    For modules whose every test reads the course: each test still runs in its own savepoint
    (the `db` fixture), so what one test writes is undone before the next, as with Django's
    TestCase.setUpTestData. A module opts in by defining `course` on top of this (see
    tests/relations/test_course_sources.py); a module whose tests want an empty database
    beside the course ones keeps the function-scoped `course` above."""
    from django.db import transaction

    from tests.course_snapshot import restore_course

    with django_db_blocker.unblock(), transaction.atomic():
        restore_course()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The real hasher is slow on purpose; tests make hundreds of users. Deployments keep it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def file_backed_sqlite(transactional_db, tmp_path):
    """On SQLite, the test runs against a fresh database file instead of the in-memory one.

    In-memory SQLite fails a second writer at once instead of making it wait, so a test of
    real concurrency needs a file (WAL and the busy timeout of config.settings, as served).
    The in-memory connection is set aside, kept open so its database survives, and put
    back afterwards. On PostgreSQL this does nothing: the test database already waits."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    settings_dict = connection.settings_dict
    in_memory_name, in_memory = settings_dict["NAME"], connection.connection
    connection.connection = None
    settings_dict["NAME"] = str(tmp_path / "concurrency.sqlite3")
    try:
        call_command("migrate", run_syncdb=True, verbosity=0)
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = in_memory_name
        connection.connection = in_memory


@pytest.fixture(autouse=True)
def _password_reset_mail_sent():
    # Password reset mails go out from a thread: none may land in the next test's outbox.
    from accounts.password_reset import wait_for_mail

    yield
    wait_for_mail()
