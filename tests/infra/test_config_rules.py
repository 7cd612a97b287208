"""Each configuration rule stops the program before any resource, naming key, value and rule."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable

import pytest
import yaml

from components.config import DEFAULT_POWERTOOLS_VERSION, WIDGET_LANGUAGES
from components.config_error import ConfigError
from components.content_security_policy import (
    CLOUDFRONT_CSP_MAX_LENGTH,
    api_origin,
    chat_page_csp,
)
from components.stack_config import CONFIG_KEYS, parse_config

from .pulumi_harness import PROJECT_DIR, run_program, stack_config
from .requirements_pin import pinned_powertools_version

FLOW = "66666666-7777-4888-9999-aaaaaaaaaaaa"
LAYER = "AWSLambdaPowertoolsPythonV3-python313-arm64"


def _raw(**overrides: object) -> dict[str, str | None]:
    """The dev stack's raw values (without namespace), with some keys replaced."""
    raw: dict[str, str | None] = {
        key.removeprefix("connect-chat:"): value for key, value in stack_config("dev").items()
    }
    for key, value in overrides.items():
        if value is None or isinstance(value, str):
            raw[key] = value
        else:
            raw[key] = json.dumps(value)
    return raw


def test_the_shipped_dev_values_parse():
    config = parse_config(_raw())
    assert config.region == "eu-west-2"
    assert config.allowed_attributes == ("topic", "orderNumber")
    assert config.attachments_enabled is True
    (topic,) = config.widget.pre_chat_fields
    assert topic.options == ("Billing", "Sales", "Support")


def test_defaults_apply_to_optional_keys():
    raw = {k: v for k, v in _raw().items() if k in ("aws:region", "instanceId", "contactFlowId")}
    config = parse_config(raw)
    assert config.chat_duration_in_minutes == 1500
    assert config.attachments_enabled is False
    assert config.widget.persistent_chat is True
    assert config.widget.persistent_chat_offer_minutes == 1440
    assert (config.throttling_rate_limit, config.throttling_burst_limit) == (5.0, 8)
    assert config.waf_rate_limit == 100 and config.log_retention_days == 30
    assert (config.resume_token_days, config.require_customer_token) == (30, False)


def test_the_continuation_window_is_configurable():
    config = parse_config(_raw(widget={"persistentChatOfferMinutes": 30}))
    assert config.widget.persistent_chat_offer_minutes == 30


def test_widget_language_survey_and_formatting_parse():
    config = parse_config(
        _raw(widget={"language": "ar", "postChatSurvey": True, "customerFormatting": True})
    )
    assert (
        config.widget.language,
        config.widget.post_chat_survey,
        config.widget.customer_formatting,
    ) == ("ar", True, True)
    defaults = parse_config(_raw(widget={}))
    assert (
        defaults.widget.language,
        defaults.widget.post_chat_survey,
        defaults.widget.customer_formatting,
    ) == (None, False, False)


def test_widget_languages_are_the_chat_pages_locales():
    locales = PROJECT_DIR / "site" / "src" / "i18n" / "locales"
    assert sorted(WIDGET_LANGUAGES) == sorted(p.stem for p in locales.glob("*.json"))


BAD_VALUES = [
    # (key, value, words the rule must contain)
    ("instanceId", "not-a-uuid", "UUID"),
    ("instanceId", None, "required"),
    ("contactFlowId", "ABCDEF00-0000-4000-8000-000000000000", "UUID"),
    ("contactFlowId", None, "required"),
    ("extraContactFlowIds", ["nope"], "UUID"),
    ("extraContactFlowIds", [FLOW], "must not repeat"),
    ("allowedOrigins", ["http://www.example.com"], "https://"),
    ("allowedOrigins", ["*"], "wildcards"),
    ("allowedOrigins", ["https://*.example.com"], "wildcards"),
    ("allowedOrigins", ["https://www.example.com/"], "no path"),
    ("allowedOrigins", ["https://www.example.com/chat"], "no path"),
    ("allowedOrigins", "https://www.example.com", "JSON"),
    ("allowedOrigins", ["https://a.example.com", "https://a.example.com"], "repeat"),
    (
        "allowedOrigins",
        [f"https://shop{i}.a-long-brand-name.example.com" for i in range(40)],
        "CloudFront's limit",
    ),
    ("allowedAttributes", ["has space"], "letters, digits"),
    ("attachmentsEnabled", "yes", "true or false"),
    ("chatDurationInMinutes", "59", "between 60 and 10080"),
    ("chatDurationInMinutes", "10081", "between 60 and 10080"),
    ("chatDurationInMinutes", "a day", "integer"),
    ("resumeTokenDays", "0", "between 1 and 365"),
    ("resumeTokenDays", "366", "between 1 and 365"),
    ("requireCustomerToken", "sometimes", "true or false"),
    ("widget", {"primaryColor": "blue"}, "#rrggbb"),
    ("widget", {"title": ""}, "non-empty"),
    ("widget", {"colour": "#ffffff"}, "unknown"),
    ("widget", {"preChatFields": [{"attribute": "email", "label": "E"}]}, "allowedAttributes"),
    ("widget", {"preChatFields": [{"attribute": "topic", "type": "radio"}]}, "one of"),
    ("widget", {"preChatFields": [{"attribute": "topic", "type": "select"}]}, "at least one"),
    ("widget", {"preChatFields": [{"attribute": "topic", "options": ["a"]}]}, "only a select"),
    ("widget", {"persistentChat": "yes"}, "true or false"),
    ("widget", {"persistentChatOfferMinutes": 0}, "from 1 to 43200"),
    ("widget", {"persistentChatOfferMinutes": 43201}, "from 1 to 43200"),
    ("widget", {"persistentChatOfferMinutes": "1440"}, "whole number of minutes"),
    ("widget", {"persistentChatOfferMinutes": True}, "whole number of minutes"),
    ("widget", {"language": "pt-br"}, "widget.language = 'pt-br': must be one of en, es, fr"),
    ("widget", {"language": "zh"}, "or absent for the browser's"),
    ("widget", {"postChatSurvey": "yes"}, "widget.postChatSurvey = 'yes': must be true or false"),
    ("widget", {"customerFormatting": 1}, "widget.customerFormatting = 1: must be true or false"),
    ("wafRateLimit", "9", "between 10 and"),
    ("wafRateWindowSeconds", "90", "one of (60, 120, 300, 600)"),
    ("wafBlockedCountries", ["France"], "ISO 3166-1"),
    ("wafMaxBodyBytes", "10", "between 256"),
    ("throttlingRateLimit", "6", "rate quota"),
    ("throttlingBurstLimit", "9", "burst quota"),
    ("throttlingRateLimit", "0", "between"),
    ("logRetentionDays", "10", "CloudWatch accepts only"),
    ("reservedConcurrency", "0", "disable the function"),
    ("snapStart", "maybe", "true or false"),
    ("createApiGatewayAccountRole", "1", "true or false"),
    ("stageName", "prod/v1", "[A-Za-z0-9_-]"),
    ("priceClass", "PriceClass_50", "one of"),
    ("customDomain", "chat.example.com", "set together"),
    ("powertoolsVersion", "latest", "exact Powertools v3 release"),
    ("powertoolsVersion", "3.37", "exact Powertools v3 release"),
    ("powertoolsVersion", "v3.37.0", "exact Powertools v3 release"),
    ("powertoolsVersion", "2.43.1", "exact Powertools v3 release"),
    ("powertoolsVersion", "3.37.0 ", "exact Powertools v3 release"),
    ("powertoolsVersion", "40", "exact Powertools v3 release"),
    ("powertoolsLayerArn", "40", LAYER),
    ("powertoolsLayerArn", f"arn:aws:lambda:eu-west-2:017000801446:layer:{LAYER}", LAYER),
    ("powertoolsLayerArn", f"arn:aws:lambda:eu-west-2:123456789012:layer:{LAYER}:27", LAYER),
    (
        "powertoolsLayerArn",
        "arn:aws:lambda:eu-west-2:017000801446:layer:"
        "AWSLambdaPowertoolsPythonV3-python313-x86_64:27",
        LAYER,
    ),
    (
        "powertoolsLayerArn",
        "arn:aws:lambda:eu-west-2:017000801446:layer:"
        "AWSLambdaPowertoolsPythonV3-python312-arm64:27",
        LAYER,
    ),
    ("powertoolsLayerArn", f"arn:aws:lambda:eu-west-1:017000801446:layer:{LAYER}:27", "region"),
    ("aws:region", "Europe", "region code"),
    ("aws:region", None, "required"),
]


@pytest.mark.parametrize(("key", "value", "rule"), BAD_VALUES, ids=lambda v: str(v)[:30])
def test_bad_value_is_refused_with_key_value_and_rule(key, value, rule):
    with pytest.raises(ConfigError) as caught:
        parse_config(_raw(**{key: value}))
    message = str(caught.value)
    assert rule in message
    # The message names the offending key (or, for a nested field, its parent key).
    top_key = key if ":" in key else f"connect-chat:{key}"
    assert message.startswith(f"config {top_key}")


def test_default_powertools_version_is_the_handlers_pin():
    """A bump of handler/requirements.txt alone must fail here, not deploy another layer."""
    pinned = pinned_powertools_version()
    assert pinned == DEFAULT_POWERTOOLS_VERSION
    declared = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())["config"]
    assert declared["powertoolsVersion"]["default"] == pinned
    minimal = {
        k: v for k, v in _raw().items() if k in ("aws:region", "instanceId", "contactFlowId")
    }
    assert parse_config(minimal).powertools_version == pinned
    assert parse_config(minimal).powertools_layer_arn is None


@pytest.mark.parametrize(
    ("region", "arn"),
    [
        ("eu-west-2", f"arn:aws:lambda:eu-west-2:017000801446:layer:{LAYER}:27"),
        ("us-gov-west-1", f"arn:aws-us-gov:lambda:us-gov-west-1:017000801446:layer:{LAYER}:3"),
        ("cn-north-1", f"arn:aws-cn:lambda:cn-north-1:017000801446:layer:{LAYER}:112"),
    ],
)
def test_powertools_layer_arn_of_the_family_in_the_stacks_region_is_accepted(region, arn):
    config = parse_config(_raw(**{"aws:region": region, "powertoolsLayerArn": arn}))
    assert config.powertools_layer_arn == arn


def test_certificate_must_be_an_acm_arn_in_us_east_1():
    with pytest.raises(ConfigError, match="us-east-1"):
        parse_config(
            _raw(
                customDomain="chat.example.com",
                certificateArn="arn:aws:acm:eu-west-2:123456789012:certificate/"
                "0f1e2d3c-4b5a-4697-8877-665544332211",
            )
        )


def test_quota_keys_allow_a_raised_stage_throttle():
    config = parse_config(
        _raw(startChatRateQuota="20", startChatBurstQuota="40", throttlingRateLimit="20")
    )
    assert config.throttling_rate_limit == 20.0


def test_config_objects_are_frozen():
    config = parse_config(_raw())
    with pytest.raises(AttributeError):
        config.instance_id = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("connect-chat:instanceId", "12345"),
        ("connect-chat:allowedOrigins", json.dumps(["http://www.example.com"])),
        ("connect-chat:wafRateLimit", "5"),
        ("connect-chat:chatDurationInMinutes", "20000"),
        ("connect-chat:powertoolsVersion", "latest"),
        ("connect-chat:powertoolsLayerArn", "arn:aws:lambda:eu-west-2:017000801446:layer:x:1"),
    ],
)
def test_program_stops_before_declaring_any_resource(key, value):
    config = {**stack_config("dev"), key: value}
    declared: list = []
    with pytest.raises(ConfigError) as caught:
        run_program(config, declared=declared)
    assert key in str(caught.value) and value.strip('[]"') in str(caught.value)
    assert declared == [], [d.type for d in declared]


def test_the_recorder_sees_resources_of_a_valid_program():
    """Guards the test above: with a good config the same recorder is filled."""
    declared: list = []
    run_program(stack_config("dev"), declared=declared)
    assert len(declared) > 40


def test_pulumi_yaml_declares_every_key_the_program_reads():
    project = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())
    assert project["name"] == "connect-chat"
    assert project["runtime"]["name"] == "python"
    declared = project["config"]
    assert set(declared) == set(CONFIG_KEYS)
    for key, declaration in declared.items():
        assert declaration.get("description"), key
        # The only types a Pulumi project schema accepts.
        assert declaration["type"] in {"string", "integer", "boolean", "array"}, key
        if declaration["type"] == "array":
            assert declaration["items"] == {"type": "string"}, key


def test_pulumi_yaml_defaults_are_the_programs_defaults():
    """Pulumi fills declared defaults in; the program must read them as its own defaults."""
    declared = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())["config"]
    required = {key for key, declaration in declared.items() if "default" not in declaration}
    assert required == {"instanceId", "contactFlowId"}
    minimal = {k: v for k, v in _raw().items() if k in ("aws:region", *required)}
    with_defaults = dict(minimal)
    for key, declaration in declared.items():
        if "default" in declaration:
            value = declaration["default"]
            with_defaults[key] = value if isinstance(value, str) else json.dumps(value)
    assert parse_config(with_defaults) == parse_config(minimal)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_shipped_stack_files_use_only_declared_keys(stack):
    keys = {key.removeprefix("connect-chat:") for key in stack_config(stack)}
    assert keys - {"aws:region", "widget"} <= set(CONFIG_KEYS)
    assert "aws:region" in keys


def _origins_filling_the_csp_to(target_length: int, csp: Callable[..., str]) -> list[str]:
    """Allowed origins that bring `csp(frame_ancestors=...)` to exactly `target_length`."""
    origins = [f"https://{'a' * 40}.shop{i}.example.com" for i in range(20)]
    missing = target_length - len(csp(frame_ancestors=origins)) - 1  # one space before it
    suffix = ".example.com"
    labels = "x" * (missing - len("https://") - len(suffix))
    host = ".".join(labels[i : i + 60] for i in range(0, len(labels), 60))
    origins.append(f"https://{host}{suffix}")
    assert len(csp(frame_ancestors=origins)) == target_length
    return origins


def test_origins_that_only_prebuilt_htmls_csp_would_overflow_are_refused():
    """prebuilt.html's CSP adds 'unsafe-inline' to style-src; it must fit CloudFront's cap too."""
    strict = functools.partial(
        chat_page_csp,
        api=api_origin("x" * 10, "eu-west-2"),
        region="eu-west-2",
        attachments_enabled=True,
    )
    origins = _origins_filling_the_csp_to(CLOUDFRONT_CSP_MAX_LENGTH - 5, strict)
    with pytest.raises(ValueError, match="connect-chat:allowedOrigins"):
        strict(frame_ancestors=origins, allow_inline_styles=True)
    with pytest.raises(ConfigError) as caught:
        parse_config(_raw(allowedOrigins=origins, attachmentsEnabled="false"))
    assert str(caught.value).startswith("config connect-chat:allowedOrigins")
    assert str(CLOUDFRONT_CSP_MAX_LENGTH) in str(caught.value)
