"""The handler's settings, read once from the environment, with messages for operators."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import urlsplit

ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_-]+")
DEFAULT_CHAT_MINUTES = 1500
DEFAULT_RESUME_TOKEN_DAYS = 30
MAX_RESUME_TOKEN_DAYS = 365
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


class ConfigurationError(ValueError):
    """A setting is missing or malformed; the message names the variable and the rule."""


class ChatSettings(NamedTuple):
    instance_id: str
    contact_flow_id: str
    allowed_contact_flow_ids: frozenset[str]
    allowed_origins: frozenset[str]
    allowed_attributes: frozenset[str]
    attachments_enabled: bool
    # Where the HMAC keys come from: the stack's secret, or (local mode, tests) the document.
    signing_secret_arn: str | None = None
    signing_keys_document: str | None = None
    resume_token_days: int = DEFAULT_RESUME_TOKEN_DAYS
    require_customer_token: bool = False
    chat_duration_minutes: int = DEFAULT_CHAT_MINUTES

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ChatSettings:
        instance_id = _required(environ, "INSTANCE_ID", max_length=100)
        contact_flow_id = _required(environ, "CONTACT_FLOW_ID", max_length=500)
        extra_flows = _list(environ, "ALLOWED_CONTACT_FLOW_IDS")
        for flow in extra_flows:
            if len(flow) > 500:
                raise ConfigurationError(
                    "ALLOWED_CONTACT_FLOW_IDS: each flow id must be at most 500 characters"
                )
        origins = _list(environ, "ALLOWED_ORIGINS")
        for origin in origins:
            _check_origin(origin)
        attributes = _list(environ, "ALLOWED_ATTRIBUTES")
        for key in attributes:
            if not ATTRIBUTE_KEY.fullmatch(key):
                raise ConfigurationError(
                    f"ALLOWED_ATTRIBUTES: {key!r} is not a valid contact attribute key "
                    "(letters, digits, '-' and '_' only)"
                )
        return cls(
            instance_id=instance_id,
            contact_flow_id=contact_flow_id,
            allowed_contact_flow_ids=frozenset({contact_flow_id, *extra_flows}),
            allowed_origins=frozenset(origins),
            allowed_attributes=frozenset(attributes),
            attachments_enabled=_flag(environ, "ATTACHMENTS_ENABLED"),
            **_signing_key_source(environ),
            resume_token_days=_whole_number(
                environ, "RESUME_TOKEN_DAYS", 1, MAX_RESUME_TOKEN_DAYS, DEFAULT_RESUME_TOKEN_DAYS
            ),
            require_customer_token=_flag(environ, "REQUIRE_CUSTOMER_TOKEN"),
            chat_duration_minutes=_whole_number(
                environ, "CHAT_DURATION_IN_MINUTES", 60, 10080, DEFAULT_CHAT_MINUTES
            ),
        )


def _required(environ: Mapping[str, str], name: str, max_length: int) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise ConfigurationError(f"{name} is required (the Amazon Connect id to use)")
    if len(value) > max_length:
        raise ConfigurationError(f"{name} must be at most {max_length} characters")
    return value


def _signing_key_source(environ: Mapping[str, str]) -> dict[str, str]:
    arn = environ.get("SIGNING_SECRET_ARN", "").strip()
    document = environ.get("SIGNING_KEYS", "").strip()
    if bool(arn) == bool(document):
        raise ConfigurationError(
            "SIGNING_SECRET_ARN (the stack's signing secret) is required; local mode and tests "
            "set SIGNING_KEYS (the key document itself) instead, never both"
        )
    if arn:
        if not arn.startswith("arn:") or ":secretsmanager:" not in arn:
            raise ConfigurationError(
                f"SIGNING_SECRET_ARN must be a Secrets Manager secret ARN, got {arn!r}"
            )
        return {"signing_secret_arn": arn}
    # Checked at startup so a bad local key fails every request the same clear way.
    from .signing_keys import SigningKeyError, parse_signing_keys

    try:
        parse_signing_keys(document)
    except SigningKeyError as error:
        raise ConfigurationError(f"SIGNING_KEYS: {error}") from None
    return {"signing_keys_document": document}


def _whole_number(environ: Mapping[str, str], name: str, low: int, high: int, default: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise ConfigurationError(
            f"{name} must be a whole number from {low} to {high}, got {value!r}"
        )
    return int(value)


def _list(environ: Mapping[str, str], name: str) -> list[str]:
    return [item.strip() for item in environ.get(name, "").split(",") if item.strip()]


def _flag(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be 'true' or 'false', got {value!r}")


def _check_origin(origin: str) -> None:
    rule = "ALLOWED_ORIGINS: each entry must be an exact origin like https://www.example.com"
    if origin == "*" or "*" in origin:
        raise ConfigurationError(f"{rule}; wildcards are not allowed, got {origin!r}")
    parts = urlsplit(origin)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ConfigurationError(f"{rule} (scheme://host[:port], no path), got {origin!r}")
    # Browsers serialise Origin in lowercase and without a default port; anything else would
    # silently never match.
    if origin != origin.lower():
        raise ConfigurationError(f"{rule}, in lowercase as browsers send it, got {origin!r}")
    default_port = {"http": 80, "https": 443}[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        raise ConfigurationError(f"{rule}; the port is not a number, got {origin!r}") from None
    if port == default_port:
        raise ConfigurationError(
            f"{rule}, without the default port {default_port} (browsers omit it), got {origin!r}"
        )
