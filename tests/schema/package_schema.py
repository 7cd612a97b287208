"""The connect-chat package schema: as Pulumi's analyzer infers it, and as provider/ commits it.

`pulumi package add` generates every language's SDK from the schema the plugin reports, which
the analyzer infers from ConnectChat's and ConnectChatArgs' type hints. The committed copy makes
each change to that public interface a reviewed diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "provider" / "schema.json"
PACKAGE = "connect-chat"
TOKEN = f"{PACKAGE}:index:ConnectChat"
# A git source's tag (and provider/__main__.py's package version) replace this at run time; a
# fixed value keeps the committed file from changing with every release.
VERSION = "0.0.0"
REGENERATE = ".venv/bin/python -m tests.schema.regenerate"


def inferred_schema() -> dict[str, Any]:
    """The schema the plugin would report: same component, package name and (no) namespace."""
    from pulumi.provider.experimental.component import ComponentProvider

    from components.connect_chat import ConnectChat

    provider = ComponentProvider([ConnectChat], PACKAGE, None, VERSION)
    assert provider.schema is not None
    return json.loads(provider.schema)


def render(schema: dict[str, Any]) -> str:
    """Pretty-printed with sorted keys, so a change reads as a small diff."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def committed_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def component(schema: dict[str, Any]) -> dict[str, Any]:
    """The ConnectChat resource of a schema."""
    return schema["resources"][TOKEN]


def type_name(ref: str) -> str:
    """`#/types/connect-chat:index:WidgetOptions` -> `connect-chat:index:WidgetOptions`."""
    prefix = "#/types/"
    assert ref.startswith(prefix), ref
    return ref.removeprefix(prefix)
