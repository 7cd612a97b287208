"""Operator settings: a bad value gets a message naming the variable and the rule."""

import pytest
from handler_harness import CONTACT_FLOW_ID, EXTRA_FLOW_ID, HANDLER_ENV

from handler.config import ChatSettings, ConfigurationError


def settings_with(**changes):
    env = {**HANDLER_ENV, **changes}
    return ChatSettings.from_environ({k: v for k, v in env.items() if v is not None})


def test_lists_are_trimmed_and_the_default_flow_is_always_allowed():
    settings = settings_with(ALLOWED_ATTRIBUTES=" topic , ,order_id ")
    assert settings.allowed_attributes == {"topic", "order_id"}
    assert settings.allowed_contact_flow_ids == {CONTACT_FLOW_ID, EXTRA_FLOW_ID}


def test_origins_with_explicit_ports_are_kept_exactly():
    settings = settings_with(ALLOWED_ORIGINS="http://127.0.0.1:8083,https://a.example:8443")
    assert settings.allowed_origins == {"http://127.0.0.1:8083", "https://a.example:8443"}


def test_optional_settings_default_to_nothing_allowed():
    settings = settings_with(
        ALLOWED_CONTACT_FLOW_IDS=None,
        ALLOWED_ORIGINS=None,
        ALLOWED_ATTRIBUTES=None,
        ATTACHMENTS_ENABLED=None,
    )
    assert settings.allowed_contact_flow_ids == {CONTACT_FLOW_ID}
    assert not settings.allowed_origins and not settings.allowed_attributes
    assert settings.attachments_enabled is False
    assert settings.disconnect_on_customer_exit == ()


def test_disconnect_on_customer_exit_reads_the_participant_types():
    settings = settings_with(DISCONNECT_ON_CUSTOMER_EXIT=" AGENT ,AGENT")
    assert settings.disconnect_on_customer_exit == ("AGENT",)


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("TRUE", True), ("false", False)])
def test_attachments_flag(value, expected):
    assert settings_with(ATTACHMENTS_ENABLED=value).attachments_enabled is expected


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"INSTANCE_ID": None}, "INSTANCE_ID is required"),
        ({"CONTACT_FLOW_ID": "  "}, "CONTACT_FLOW_ID is required"),
        ({"INSTANCE_ID": "i" * 101}, "INSTANCE_ID must be at most 100"),
        ({"ATTACHMENTS_ENABLED": "sometimes"}, "ATTACHMENTS_ENABLED must be 'true' or 'false'"),
        ({"ALLOWED_ORIGINS": "*"}, "ALLOWED_ORIGINS: each entry must be an exact origin"),
        ({"ALLOWED_ORIGINS": "https://*.example.com"}, "wildcards are not allowed"),
        ({"ALLOWED_ORIGINS": "https://www.example.com/"}, "no path"),
        ({"ALLOWED_ORIGINS": "www.example.com"}, "scheme://host"),
        ({"ALLOWED_ORIGINS": "https://WWW.example.com"}, "in lowercase ASCII"),
        ({"ALLOWED_ORIGINS": "https://www.example.com:443"}, "without the default port 443"),
        ({"ALLOWED_ORIGINS": "http://127.0.0.1:80"}, "without the default port 80"),
        ({"ALLOWED_ORIGINS": "http://127.0.0.1:port"}, "scheme://host[:port]"),
        ({"ALLOWED_ATTRIBUTES": "topic,has space"}, "ALLOWED_ATTRIBUTES: 'has space'"),
        ({"ALLOWED_CONTACT_FLOW_IDS": "f" * 501}, "ALLOWED_CONTACT_FLOW_IDS"),
        (
            {"DISCONNECT_ON_CUSTOMER_EXIT": "CUSTOMER"},
            "DISCONNECT_ON_CUSTOMER_EXIT: each entry must be one of ['AGENT'], got 'CUSTOMER'",
        ),
    ],
)
def test_bad_settings_name_the_variable_and_the_rule(changes, words):
    with pytest.raises(ConfigurationError) as caught:
        settings_with(**changes)
    assert words in str(caught.value)
