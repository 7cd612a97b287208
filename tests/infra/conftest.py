"""Fixtures for the infrastructure tests: one mocked program run per shipped stack file."""

from __future__ import annotations

import pytest

from .pulumi_harness import ProgramRun, run_program, stack_config

SHIPPED_STACKS = ("dev", "prod")


@pytest.fixture(scope="module", params=SHIPPED_STACKS)
def stack_run(request: pytest.FixtureRequest) -> tuple[str, dict[str, str], ProgramRun]:
    config = stack_config(request.param)
    return request.param, config, run_program(config, stack=request.param)
