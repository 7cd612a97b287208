"""The agent console: control endpoints, and a person answering a chat in chromium."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from local_mode_clients import ChatSocketClient, connect_customer, participant_client, start_chat

from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def agent_has_spoken(contact_url: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        transcript = json.loads(urllib.request.urlopen(contact_url).read())["Transcript"]
        if any(i["Type"] == "MESSAGE" and i.get("ParticipantRole") == "AGENT" for i in transcript):
            return
        time.sleep(0.02)
    raise AssertionError("the scripted agent never greeted")


def test_human_takeover_silences_the_scripted_agent(local):
    started = start_chat(local)
    connection = connect_customer(local, started["ParticipantToken"])
    token = connection["ConnectionCredentials"]["ConnectionToken"]
    base = f"{local.emulator_url}/_emulator/contacts/{started['ContactId']}"

    async def scenario():
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(connection["Websocket"]["Url"]) as ws,
        ):
            chat = ChatSocketClient(ws)
            await chat.subscribe()
            # The greeting may have gone out before the subscription: read the transcript.
            await asyncio.to_thread(agent_has_spoken, base)
            status, _ = await asyncio.to_thread(post, base + "/takeover", {})
            assert status == 200
            await asyncio.to_thread(
                participant_client(local).send_message,
                ConnectionToken=token, ContentType="text/plain", Content="anyone there?",
            )  # fmt: skip
            await asyncio.to_thread(post, base + "/messages", {"content": "A human here"})
            reply = await chat.item_where(
                lambda i: i["Type"] == "MESSAGE" and i.get("Content") == "A human here"
            )
            assert reply["ParticipantRole"] == "AGENT"
            await asyncio.sleep(0.3)
            detail = json.loads(urllib.request.urlopen(base).read())
            assert not any(
                i.get("Content", "").startswith("You said") for i in detail["Transcript"]
            )

    asyncio.run(scenario())


def test_console_endpoints_reject_bad_input_with_reasons(local):
    started = start_chat(local)
    base = f"{local.emulator_url}/_emulator/contacts/{started['ContactId']}"
    assert post(base + "/messages", {"content": ""})[0] == 400
    assert post(base + "/messages", {"content": "x", "contentType": "text/html"})[0] == 400
    status, body = post(f"{local.emulator_url}/_emulator/contacts/unknown/messages", {})
    assert status == 404 and body["message"]
    assert post(base + "/end", {})[0] == 200
    status, body = post(base + "/messages", {"content": "late"})
    assert status == 409 and "ended" in body["message"]


@pytest.fixture
def console_page() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        pytest.skip("no chromium")  # the e2e suite itself fails under CI=true without one
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser.new_page()
        browser.close()


@pytest.mark.e2e
def test_person_answers_in_the_console_and_text_is_never_html(local, console_page):
    hostile = '<img src=x onerror="window.__xss=1">'
    started = start_chat(
        local,
        ParticipantDetails={"DisplayName": hostile},
        InitialMessage={"ContentType": "text/plain", "Content": hostile},
    )
    connect_customer(local, started["ParticipantToken"])
    page = console_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(local.emulator_url + "/agent")
    page.locator(f'[data-contact-id="{started["ContactId"]}"]').click()
    page.get_by_test_id("take-over").click()
    page.fill("#reply-text", "Hello from a person")
    page.get_by_role("button", name="Send").click()
    page.get_by_test_id("transcript").get_by_text("Hello from a person").wait_for()
    page.get_by_test_id("transcript").get_by_text(hostile).first.wait_for()
    assert page.evaluate("window.__xss") is None
    assert page.locator("#transcript img").count() == 0
    detail = json.loads(
        urllib.request.urlopen(
            f"{local.emulator_url}/_emulator/contacts/{started['ContactId']}"
        ).read()
    )
    assert detail["HumanAgent"] is True
    assert any(i.get("Content") == "Hello from a person" and i["ParticipantRole"] == "AGENT"
               for i in detail["Transcript"])  # fmt: skip
    assert errors == []
