"""Browser and local-mode fixtures shared by every end-to-end test.

Debian's chromium is driven through Playwright's `executable_path` (never a downloaded
browser). Without a browser the tests skip on a laptop but FAIL when CI=true.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from local_mode.runner import LocalStack, start_background
from tests.e2e.widget_stacks import WIDGET_TIMEOUT_MS

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _missing_browser(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: end-to-end tests must run, not skip)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian chromium per test module.

    Not per session: Playwright's sync API keeps an event loop running in the main thread
    while it is open, which breaks every later test that calls asyncio.run().
    """
    path = chromium_path()
    if path is None:
        _missing_browser("no chromium found: set CHROMIUM_PATH or apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("playwright is not installed in .venv")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context per test (own storage), closed afterwards."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def local_stack() -> Iterator[LocalStack]:
    """Local mode with the built site (`make site`), the dev stack and a quick agent.

    Per module, so the handler environment it sets is restored before other suites run.
    """
    stack = start_background("dev", agent_join_delay=0.2)
    yield stack
    stack.stop()


# --- Widget E2E: one local stack per module and a driver for the real widget ------------------

CUSTOMER_NAME = "Ada Lovelace"


@pytest.fixture(scope="module")
def widget_stack() -> Iterator[LocalStack]:
    """Local mode with the built site and the dev stack, shared by one test module.

    The agent joins quickly; its typing pause is long enough for the indicator to be seen.
    """
    from local_mode.emulator import EmulatorSettings
    from local_mode.site_server import SITE_DIST

    # WIDGET_SITE_DIST runs the suite against another build (e.g. a deliberately broken one,
    # to see the tests fail).
    stack = start_background(
        "dev",
        agent_join_delay=0.2,
        emulator_settings=EmulatorSettings(agent_typing_delay=0.6),
        site_dist=Path(os.environ.get("WIDGET_SITE_DIST", SITE_DIST)),
    )
    yield stack
    stack.stop()


class EmulatorClient:
    """The emulator's /_emulator control endpoints, as a test reads them."""

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.base = stack.emulator_url

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        import json
        import urllib.request

        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def contacts(self) -> list[dict[str, Any]]:
        return self._call("GET", "/_emulator/contacts")["contacts"]

    def contact(self, contact_id: str) -> dict[str, Any]:
        return self._call("GET", f"/_emulator/contacts/{contact_id}")

    def arm_fault(self, operation: str, error: str, count: int = 1) -> Any:
        return self._call(
            "POST", "/_emulator/faults", {"operation": operation, "error": error, "count": count}
        )

    def disarm(self, operation: str) -> Any:
        """Count 0 removes a fault a test armed, so the module's next test starts clean."""
        return self.arm_fault(operation, "ThrottlingException", count=0)

    def agent_says(self, contact_id: str, content: str, content_type: str = "text/plain") -> Any:
        return self._call(
            "POST",
            f"/_emulator/contacts/{contact_id}/messages",
            {"content": content, "contentType": content_type},
        )

    def record_items(self) -> list[dict[str, Any]]:
        """Every item the emulator posts from now on, typing events included (they are not
        stored in transcripts, as in Connect). The list fills from the stack's loop."""
        seen: list[dict[str, Any]] = []
        self.stack.run_in_loop(
            self.stack.emulator.store.listeners.append, lambda contact, item: seen.append(item)
        )
        return seen


class WidgetChat:
    """Drives the chat UI (site/dist chat page) the way a visitor does."""

    def __init__(self, page: Any, stack: LocalStack) -> None:
        self.page = page
        self.stack = stack
        self.emulator = EmulatorClient(stack)
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.set_default_timeout(WIDGET_TIMEOUT_MS)

    # Locators of the documented test hooks and stable element ids.
    @property
    def messages(self) -> Any:
        return self.page.get_by_test_id("message-list")

    @property
    def composer(self) -> Any:
        return self.page.locator("#composer-message")

    @property
    def error(self) -> Any:
        return self.page.get_by_test_id("error-message")

    @property
    def banner(self) -> Any:
        return self.page.get_by_test_id("connection-banner")

    @property
    def typing(self) -> Any:
        return self.page.get_by_test_id("typing-indicator")

    def agent_message(self, text: str) -> Any:
        return self.messages.locator("li[data-role=agent]", has_text=text)

    def customer_message(self, text: str) -> Any:
        return self.messages.locator("li[data-role=customer]", has_text=text)

    def system_event(self, text: str) -> Any:
        return self.messages.locator("li[data-role=system]", has_text=text)

    def open(self, path: str = "/index.html") -> WidgetChat:
        self.page.goto(self.stack.site_url + path)
        return self

    def start(self, name: str = CUSTOMER_NAME, topic: str | None = None) -> WidgetChat:
        from playwright.sync_api import expect

        self.page.locator("#prechat-name").fill(name)
        if topic is not None:
            self.page.locator("#prechat-topic").select_option(topic)
        self.page.get_by_role("button", name="Start chat").click()
        expect(self.composer).to_be_visible()
        return self

    def wait_for_agent(self) -> WidgetChat:
        from playwright.sync_api import expect

        expect(self.system_event("joined the chat")).to_have_count(1)
        # The greeting: the scripted agent is then idle and answers the next command.
        expect(self.agent_message("Hi, I'm Alex")).to_have_count(1)
        return self

    def send(self, text: str) -> None:
        self.composer.fill(text)
        self.composer.press("Enter")

    def ask(self, command: str, reply: str) -> Any:
        """Sends a scripted-agent command and waits for the agent's reply containing `reply`."""
        from playwright.sync_api import expect

        self.send(command)
        answer = self.agent_message(reply)
        expect(answer.last).to_be_visible()
        return answer.last

    def end_chat(self) -> None:
        """End chat, then confirm in the dialog that asks first."""
        from playwright.sync_api import expect

        self.page.locator("button.end").click()
        dialog = self.page.get_by_role("dialog", name="End this chat?")
        expect(dialog).to_be_visible()
        dialog.get_by_role("button", name="End chat").click()
        expect(dialog).to_have_count(0)

    def wait_until(self, condition: Any, what: str) -> Any:
        return wait_until(self.page, condition, what)

    def active_session(self) -> dict[str, Any] | None:
        import json

        raw = self.page.evaluate("() => sessionStorage.getItem('connect-chat:session')")
        return None if raw is None else json.loads(raw)

    def previous_resume_token(self) -> str:
        """The API's token for the last ended chat (localStorage, for persistent chat)."""
        import json

        raw = self.page.evaluate("() => localStorage.getItem('connect-chat:previous')")
        assert raw is not None, "no ended chat remembered in localStorage"
        return json.loads(raw)["resumeToken"]

    def previous_contact_id(self) -> str:
        """The contact of the last ended chat: the widget keeps only its resume token, so the
        emulator names it (the newest contact; a module's tests run one at a time)."""
        self.previous_resume_token()
        return self.emulator.contacts()[0]["ContactId"]

    def saved_keys(self) -> dict[str, list[str]]:
        """Every key the widget's origin holds in localStorage and sessionStorage."""
        return self.page.evaluate(
            "() => ({local: Object.keys(localStorage).sort(),"
            " session: Object.keys(sessionStorage).sort()})"
        )

    def contact_id(self) -> str:
        session = self.active_session()
        assert session is not None, "no live chat saved in sessionStorage"
        return session["contactId"]


@pytest.fixture
def chat(page: Any, widget_stack: LocalStack) -> Iterator[WidgetChat]:
    """The full-page chat UI on a fresh context; fails the test on uncaught page errors."""
    from playwright.sync_api import expect

    expect.set_options(timeout=WIDGET_TIMEOUT_MS)
    driver = WidgetChat(page, widget_stack)
    yield driver
    assert driver.errors == [], f"uncaught errors in the page: {driver.errors}"


def wait_until(page: Any, condition: Any, what: str, timeout_ms: int = WIDGET_TIMEOUT_MS) -> Any:
    """Polls a Python-side condition (emulator state) while the page keeps running."""
    waited = 0
    while waited <= timeout_ms:
        result = condition()
        if result:
            return result
        page.wait_for_timeout(100)
        waited += 100
    raise AssertionError(f"timed out after {timeout_ms} ms waiting for {what}")


@pytest.fixture
def new_chat(browser: Any, widget_stack: LocalStack) -> Iterator[Any]:
    """Makes chats in contexts with the options a test needs (viewport, reduced motion...);
    closes them afterwards and fails the test on uncaught page errors."""
    from playwright.sync_api import expect

    expect.set_options(timeout=WIDGET_TIMEOUT_MS)
    contexts: list[Any] = []
    drivers: list[WidgetChat] = []

    def make(**options: Any) -> WidgetChat:
        context = browser.new_context(**options)
        contexts.append(context)
        driver = WidgetChat(context.new_page(), widget_stack)
        drivers.append(driver)
        return driver

    yield make
    for context in contexts:
        context.close()
    for driver in drivers:
        assert driver.errors == [], f"uncaught errors in the page: {driver.errors}"
