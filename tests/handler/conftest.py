"""Shared fixtures for the start-chat handler tests (what they build on: handler_harness.py).

No __init__.py here on purpose: with one, pytest would import these modules as `handler.*`
and shadow the real handler package. Test modules carry a `test_handler_` prefix instead.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from handler_harness import (
    HANDLER_ENV,
    POWERTOOLS_SWITCHES,
    LogLines,
    LogTee,
    RecordingConnect,
    fresh_handler_app,
    handler_modules_restored,
)

from bench._fake_connect import FakeConnect
from handler.config import ChatSettings


@pytest.fixture
def chat_settings() -> ChatSettings:
    return ChatSettings.from_environ(HANDLER_ENV)


@pytest.fixture
def recording_connect() -> RecordingConnect:
    return RecordingConnect()


@pytest.fixture
def fake_connect() -> Iterator[FakeConnect]:
    with FakeConnect() as fake:
        yield fake


@pytest.fixture
def handler_app(monkeypatch: pytest.MonkeyPatch, fake_connect: FakeConnect) -> Iterator[Any]:
    """`handler.app` imported fresh with the test environment, its client on the fake Connect."""
    for name, value in HANDLER_ENV.items():
        monkeypatch.setenv(name, value)
    for name in POWERTOOLS_SWITCHES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL_CONNECT", fake_connect.url)
    with handler_modules_restored():
        yield fresh_handler_app()


@pytest.fixture
def handler_logs() -> Iterator[LogLines]:
    # Powertools binds its handler to the stdout of first import; tee into a buffer instead.
    # By service name, so the tee sees the logger of whichever handler.app the test imports.
    service_logger = logging.getLogger(HANDLER_ENV["POWERTOOLS_SERVICE_NAME"])
    stream = io.StringIO()
    tee = LogTee(stream)
    service_logger.addHandler(tee)
    try:
        yield LogLines(stream)
    finally:
        service_logger.removeHandler(tee)
