"""Another team's Pulumi program, outside this repository, with the installed package.

It passes arguments only (no connect-chat stack config) and must declare what this repository's
own dev stack declares: the same resources, names, parents and inputs. The package is the wheel
built from this checkout, installed into a temporary folder (tests/package/installed_package.py),
so the handler and the widget are found as package data, never from the consumer's folder.
"""

from __future__ import annotations

import hashlib
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import pulumi
import pytest

from tests.package.installed_package import installed_package_path

from .pulumi_harness import Declared, run_program, stack_config

# The dev stack (Pulumi.dev.yaml), as the few lines another team would write.
CONSUMER_PROGRAM = """
import pulumi

from connect_chat import ConnectChat, ConnectChatArgs

chat = ConnectChat(
    "connect-chat",
    ConnectChatArgs(
        instance_id="11111111-2222-4333-8444-555555555555",
        contact_flow_id="66666666-7777-4888-9999-aaaaaaaaaaaa",
        extra_contact_flow_ids=[],
        allowed_origins=["https://www.example.com"],
        allowed_attributes=["topic", "orderNumber"],
        attachments_enabled=True,
        chat_duration_in_minutes=1500,
        widget={
            "title": "Chat with us",
            "primary_color": "#1f4fd1",
            "persistent_chat": True,
            "pre_chat_fields": [
                {
                    "attribute": "topic",
                    "label": "Topic",
                    "type": "select",
                    "options": ["Billing", "Sales", "Support"],
                    "required": False,
                }
            ],
        },
        log_retention_days=7,
        waf_rate_limit=100,
        create_api_gateway_account_role=True,
        region="eu-west-2",
    ),
)
pulumi.export("apiEndpoint", chat.api_endpoint)
"""


def _comparable(value: Any) -> Any:
    """Inputs with files compared by content: the archive's path is the package's cache."""
    if isinstance(value, pulumi.FileArchive | pulumi.FileAsset):
        return {"sha256": hashlib.sha256(Path(value.path).read_bytes()).hexdigest()}
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return value


def _declared(resources: list[Declared]) -> list[tuple[str, str, str]]:
    return sorted(
        (r.urn, r.name, json.dumps(_comparable(r.inputs), sort_keys=True, default=str))
        for r in resources
    )


@pytest.fixture
def consumer(tmp_path_factory, tmp_path, monkeypatch) -> tuple[Path, Path]:
    installed = installed_package_path(tmp_path_factory)
    monkeypatch.syspath_prepend(str(installed))
    monkeypatch.setenv("CONNECT_CHAT_CACHE_DIR", str(tmp_path / "cache"))
    for name in [module for module in sys.modules if module.split(".")[0] == "connect_chat"]:
        monkeypatch.delitem(sys.modules, name)
    main = tmp_path / "their-infrastructure" / "__main__.py"
    main.parent.mkdir()
    main.write_text(textwrap.dedent(CONSUMER_PROGRAM))
    monkeypatch.chdir(main.parent)
    return main, installed


def test_a_program_elsewhere_declares_what_the_repositorys_stack_declares(consumer, tmp_path):
    main, installed = consumer
    ours = run_program(stack_config("dev"))
    # No connect-chat:* keys: the arguments carry every setting.
    theirs = run_program({"aws:region": "eu-west-2"}, main=main)
    import connect_chat

    assert Path(connect_chat.__file__).is_relative_to(installed)
    assert _declared(theirs.resources) == _declared(ours.resources)
    archives = list((tmp_path / "cache").glob("start-chat-*.zip"))
    assert len(archives) == 1, "the function archive is written to the cache, nowhere else"
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700
