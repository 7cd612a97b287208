"""The handler's rules against the cases shared with the stack config, local mode and widget."""

import json
from pathlib import Path

import pytest
from handler_harness import HANDLER_ENV

from handler.config import ChatSettings, ConfigurationError, origin_problem
from handler.rejections import ChatRejection
from handler.start_chat_request import parse_start_chat_request

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
ORIGINS = json.loads((VECTORS / "origins.json").read_text())["cases"]
ATTRIBUTE_KEYS = json.loads((VECTORS / "attribute-keys.json").read_text())["cases"]
DISPLAY_NAMES = json.loads((VECTORS / "display-names.json").read_text())["cases"]


def _settings(**changes: str) -> ChatSettings:
    return ChatSettings.from_environ({**HANDLER_ENV, **changes})


def _as_env_entry(value: str) -> bool:
    # ALLOWED_ORIGINS and ALLOWED_ATTRIBUTES are comma lists whose entries are trimmed: a value
    # with a comma or edge whitespace is a different list there, so it is checked by the rule.
    return value == value.strip() and "," not in value and value != ""


@pytest.mark.parametrize("case", ORIGINS, ids=[repr(c["origin"]) for c in ORIGINS])
def test_allowed_origins_follow_the_shared_vectors(case):
    origin, accepted = case["origin"], case["accepted"]["handler"]
    assert (origin_problem(origin) is None) is accepted
    if not _as_env_entry(origin):
        return
    if accepted:
        assert _settings(ALLOWED_ORIGINS=origin).allowed_origins == {origin}
    else:
        with pytest.raises(ConfigurationError, match=r"^ALLOWED_ORIGINS: "):
            _settings(ALLOWED_ORIGINS=origin)


@pytest.mark.parametrize("case", ATTRIBUTE_KEYS, ids=[repr(c["key"]) for c in ATTRIBUTE_KEYS])
def test_attribute_keys_follow_the_shared_vectors(case):
    key, accepted = case["key"], case["accepted"]["handler"]
    if _as_env_entry(key):
        if accepted:
            assert _settings(ALLOWED_ATTRIBUTES=key).allowed_attributes == {key}
        else:
            with pytest.raises(ConfigurationError, match=r"^ALLOWED_ATTRIBUTES: "):
                _settings(ALLOWED_ATTRIBUTES=key)
    # A request naming the key: refused as malformed before the allowlist is even consulted.
    body = {"ParticipantDetails": {"DisplayName": "Ann"}, "Attributes": {key: "v"}}
    if accepted:
        request = parse_start_chat_request(body, _settings(ALLOWED_ATTRIBUTES=key))
        assert request.attributes == {key: "v", "customerName": "Ann"}
    else:
        with pytest.raises(ChatRejection) as caught:
            parse_start_chat_request(body, _settings())
        assert caught.value.status == 400
        assert "1 to 128 letters, digits" in caught.value.message


@pytest.mark.parametrize("case", DISPLAY_NAMES, ids=[c["why"] for c in DISPLAY_NAMES])
def test_display_names_follow_the_shared_vectors(case):
    body = {"ParticipantDetails": {"DisplayName": case["value"]}}
    if case["sent"] is None:
        with pytest.raises(ChatRejection) as caught:
            parse_start_chat_request(body, _settings())
        assert caught.value.status == 400
        assert "ParticipantDetails.DisplayName" in caught.value.message
    else:
        assert parse_start_chat_request(body, _settings()).display_name == case["sent"]


def _client_sends(case: dict) -> object:
    # The widget's text, or the raw value where the widget leaves it out (another client may not).
    return case["sent"] if case["sent"] is not None else case["value"]


# A null value is never sent as a string by anyone; non-strings are the hostile-input suite's.
ATTRIBUTE_VALUES = [
    case
    for case in json.loads((VECTORS / "attribute-values.json").read_text())["cases"]
    if isinstance(_client_sends(case), str)
]


@pytest.mark.parametrize("case", ATTRIBUTE_VALUES, ids=[c["why"][:40] for c in ATTRIBUTE_VALUES])
def test_attribute_values_follow_the_shared_vectors(case):
    sent = _client_sends(case)
    body = {"ParticipantDetails": {"DisplayName": "Ann"}, "Attributes": {"topic": sent}}
    settings = _settings(ALLOWED_ATTRIBUTES="topic")
    if case["accepted"]["handler"]:
        request = parse_start_chat_request(body, settings)
        assert request.attributes == {"topic": sent, "customerName": "Ann"}
    else:
        with pytest.raises(ChatRejection) as caught:
            parse_start_chat_request(body, settings)
        assert caught.value.status == 400
        assert "32768 bytes" in caught.value.message
