"""Local stacks for E2E modules that need a stack setting the shared widget_stack lacks.

A module of its own, not conftest: `from conftest import` can resolve to another suite's
conftest when several test folders are collected together."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from local_mode.runner import LocalStack, start_background

WIDGET_TIMEOUT_MS = 10_000


def start_widget_stack(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    widget: dict[str, Any],
    agent_typing_delay: float = 0.3,
) -> LocalStack:
    """Local mode on the dev stack with `widget` settings merged into connect-chat:widget,
    for modules that need a stack setting the shared widget_stack does not have."""
    import yaml

    from local_mode.emulator import EmulatorSettings
    from local_mode.site_server import SITE_DIST
    from local_mode.stack_config import stack_file

    document = yaml.safe_load(stack_file("dev").read_text())
    document["config"]["connect-chat:widget"].update(widget)
    path = tmp_path_factory.mktemp(name) / f"Pulumi.{name}.yaml"
    path.write_text(yaml.safe_dump(document))
    return start_background(
        name,
        stack_file=path,
        agent_join_delay=0.2,
        emulator_settings=EmulatorSettings(agent_typing_delay=agent_typing_delay),
        site_dist=Path(os.environ.get("WIDGET_SITE_DIST", SITE_DIST)),
    )
