"""config.json has one schema (site/config.schema.json): the stack's and local mode's files
follow it, and it gives the verdict tests/vectors/config-documents.json states for each
document (the widget's tests check validateConfig gives the same verdicts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from components.connect_chat import widget_config
from components.stack_config import parse_config
from local_mode.site_server import SiteOrigins
from local_mode.site_server import widget_config as local_widget_config
from local_mode.stack_config import load_stack

from .test_config_rules import _raw

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "site" / "config.schema.json").read_text())
DOCUMENTS: list[dict[str, Any]] = json.loads(
    (ROOT / "tests" / "vectors" / "config-documents.json").read_text()
)["cases"]
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
API = "https://abc123defg.execute-api.eu-west-2.amazonaws.com/prod/"


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("case", DOCUMENTS, ids=[c["why"] for c in DOCUMENTS])
def test_the_schema_gives_the_stated_verdict(case):
    errors = [error.message for error in VALIDATOR.iter_errors(case["document"])]
    assert (errors == []) is case["valid"], errors


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"widget": {}, "allowedOrigins": [], "attachmentsEnabled": "false"},
        {
            "allowedOrigins": ["https://www.example.com", "https://shop.example.com:8443"],
            "widget": {
                "title": "t" * 80,
                "preChatFields": [
                    {"attribute": "topic", "label": "Topic", "type": "select", "options": ["A"]},
                    {"attribute": "orderNumber", "label": "Order", "required": True},
                ],
            },
        },
        {
            "widget": {
                "primaryColor": "#ffd400",
                "logo": "https://cdn.example.com/brand/logo.svg",
                "fontFamily": '"Brand Sans", Arial, sans-serif',
                "fontUrl": "/fonts/brand-sans.woff2",
                "position": "left",
                "width": 640,
                "height": 400,
                "displayNames": {"agent": "Support team", "bot": "Assistant", "system": "Acme"},
            },
        },
    ],
    ids=["dev stack", "defaults", "every widget setting", "every branding key"],
)
def test_the_stacks_config_json_follows_the_schema(overrides):
    document = widget_config(parse_config(_raw(**overrides)), API)
    VALIDATOR.validate(document)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_local_modes_config_json_follows_the_schema(stack):
    origins = SiteOrigins(
        site="http://127.0.0.1:8080",
        api_url="http://127.0.0.1:8081/",
        emulator="http://127.0.0.1:8082",
        host="http://127.0.0.1:8083",
    )
    VALIDATOR.validate(local_widget_config(load_stack(stack), origins))
