"""The stack's config rules against the cases shared with the handler, local mode and widget.

tests/vectors/*.json hold the cases; the handler's, local mode's and the widget's tests read the
same files, so one value in a stack file cannot pass here and then take the chat down at run
time (issue 13; issue 9 item 7).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from components.config_error import ConfigError
from components.stack_config import parse_config

from .test_config_rules import LAYER, _raw

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
ORIGINS: list[dict[str, Any]] = json.loads((VECTORS / "origins.json").read_text())["cases"]
ATTRIBUTE_KEYS: list[dict[str, Any]] = json.loads((VECTORS / "attribute-keys.json").read_text())[
    "cases"
]
UUID = "0f1e2d3c-4b5a-4697-8877-665544332211"
CERTIFICATE = f"arn:aws:acm:us-east-1:123456789012:certificate/{UUID}"


@pytest.mark.parametrize("case", ORIGINS, ids=[repr(c["origin"]) for c in ORIGINS])
def test_allowed_origins_follow_the_shared_vectors(case):
    raw = _raw(allowedOrigins=[case["origin"]])
    if case["accepted"]["pulumi"]:
        assert parse_config(raw).allowed_origins == (case["origin"],)
    else:
        with pytest.raises(ConfigError) as caught:
            parse_config(raw)
        assert caught.value.key == "connect-chat:allowedOrigins"


@pytest.mark.parametrize("case", ATTRIBUTE_KEYS, ids=[repr(c["key"]) for c in ATTRIBUTE_KEYS])
def test_allowed_attribute_keys_follow_the_shared_vectors(case):
    raw = _raw(allowedAttributes=[case["key"]], widget={})
    if case["accepted"]["pulumi"]:
        assert parse_config(raw).allowed_attributes == (case["key"],)
    else:
        with pytest.raises(ConfigError) as caught:
            parse_config(raw)
        assert caught.value.key == "connect-chat:allowedAttributes"


# A valid value of each pattern-checked key, which must stop being valid with a newline after it.
PATTERN_KEYS: list[tuple[str, dict[str, object]]] = [
    ("instanceId", {"instanceId": UUID}),
    ("contactFlowId", {"contactFlowId": UUID}),
    ("extraContactFlowIds", {"extraContactFlowIds": [UUID]}),
    ("aws:region", {"aws:region": "eu-west-2"}),
    ("allowedOrigins", {"allowedOrigins": ["https://www.example.com"]}),
    ("allowedAttributes", {"allowedAttributes": ["topic"], "widget": {}}),
    ("widget.primaryColor", {"widget": {"primaryColor": "#1f4fd1"}}),
    ("wafBlockedCountries", {"wafBlockedCountries": ["FR"]}),
    ("stageName", {"stageName": "prod"}),
    ("powertoolsVersion", {"powertoolsVersion": "3.37.0"}),
    (
        "powertoolsLayerArn",
        {"powertoolsLayerArn": f"arn:aws:lambda:eu-west-2:017000801446:layer:{LAYER}:27"},
    ),
    ("customDomain", {"customDomain": "chat.example.com", "certificateArn": CERTIFICATE}),
    ("certificateArn", {"customDomain": "chat.example.com", "certificateArn": CERTIFICATE}),
]


def _with_newline(key: str, overrides: dict[str, object]) -> dict[str, object]:
    name, _, inner = key.partition(".")
    value = overrides[name]
    if inner:
        assert isinstance(value, dict)
        return {**overrides, name: {**value, inner: value[inner] + "\n"}}
    if isinstance(value, list):
        return {**overrides, name: [value[0] + "\n"]}
    assert isinstance(value, str)
    return {**overrides, name: value + "\n"}


@pytest.mark.parametrize(("key", "overrides"), PATTERN_KEYS, ids=[k for k, _ in PATTERN_KEYS])
def test_every_pattern_matches_the_whole_value(key, overrides):
    parse_config(_raw(**overrides))  # the value itself is valid
    with pytest.raises(ConfigError) as caught:
        parse_config(_raw(**_with_newline(key, overrides)))
    assert caught.value.key.removeprefix("connect-chat:").startswith(key.split(".")[0])


@pytest.mark.parametrize("key", ["throttlingRateLimit", "startChatRateQuota"])
@pytest.mark.parametrize("value", ["2.5", "5.0", "1e1"])
def test_rate_keys_are_integers_as_pulumi_yaml_declares(key, value):
    with pytest.raises(ConfigError, match="must be an integer") as caught:
        parse_config(_raw(**{"startChatRateQuota": "10", key: value}))
    assert caught.value.key == f"connect-chat:{key}"


def test_rate_keys_parse_to_ints():
    config = parse_config(_raw(throttlingRateLimit="3", startChatRateQuota="7"))
    assert (config.throttling_rate_limit, config.start_chat_rate_quota) == (3, 7)
    assert isinstance(config.throttling_rate_limit, int)
    assert isinstance(config.start_chat_rate_quota, int)


def test_pulumi_yaml_declares_the_rate_keys_integer():
    import yaml

    project = yaml.safe_load((Path(__file__).resolve().parents[2] / "Pulumi.yaml").read_text())
    declared = project["config"]
    assert declared["throttlingRateLimit"]["type"] == "integer"
    assert declared["startChatRateQuota"]["type"] == "integer"
