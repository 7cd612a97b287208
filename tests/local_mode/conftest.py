"""Fixtures: local mode on free ports with the shipped Pulumi.dev.yaml."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local_mode.emulator import EmulatorSettings
from local_mode.runner import LocalStack, start_background


@pytest.fixture(scope="module")
def local() -> Iterator[LocalStack]:
    stack = start_background(
        "dev",
        agent_join_delay=0.05,
        require_site=False,
        emulator_settings=EmulatorSettings(agent_typing_delay=0.01),
    )
    yield stack
    stack.stop()


@pytest.fixture
def fast_clock() -> Iterator[LocalStack]:
    """Minutes of 0.02 s (a 60-minute chat lasts 1.2 s) and a 0.5 s connect deadline."""
    stack = start_background(
        "dev",
        agent_join_delay=0.05,
        require_site=False,
        emulator_settings=EmulatorSettings(
            connect_deadline_seconds=0.5, seconds_per_minute=0.02, agent_typing_delay=0.01
        ),
    )
    yield stack
    stack.stop()
