"""The handler's settings, read once from the environment, with messages for operators."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_-]{1,128}")
# An origin as browsers serialise it in the Origin header (RFC 6454): lowercase ASCII scheme and
# host, the port only when it is not the scheme's default. Always used with fullmatch.
_ORIGIN = re.compile(
    r"(?P<scheme>https?)://"
    r"(?P<host>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)"
    r"(?::(?P<port>[0-9]+))?"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
DEFAULT_CHAT_MINUTES = 1500
DEFAULT_RESUME_TOKEN_DAYS = 30
MAX_RESUME_TOKEN_DAYS = 365
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}
# StartChatContact's DisconnectOnCustomerExit accepts only AGENT (botocore's service model).
DISCONNECT_ON_CUSTOMER_EXIT_TYPES = frozenset({"AGENT"})


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
    # Who Connect disconnects when the customer leaves, so the flow's disconnect branch (a
    # post-chat survey) still runs with the customer.
    disconnect_on_customer_exit: tuple[str, ...] = ()

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
                    "(1 to 128 letters, digits, '-' and '_')"
                )
        disconnect = _list(environ, "DISCONNECT_ON_CUSTOMER_EXIT")
        for participant in disconnect:
            if participant not in DISCONNECT_ON_CUSTOMER_EXIT_TYPES:
                raise ConfigurationError(
                    "DISCONNECT_ON_CUSTOMER_EXIT: each entry must be one of "
                    f"{sorted(DISCONNECT_ON_CUSTOMER_EXIT_TYPES)}, got {participant!r}"
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
            disconnect_on_customer_exit=tuple(dict.fromkeys(disconnect)),
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


def origin_problem(origin: str) -> str | None:
    """Why `origin` can never equal a browser's Origin header, or None when it can.

    Local mode applies the same rule to the stack file; tests/vectors/origins.json holds the
    cases every consumer (Pulumi config, this handler, local mode, the widget) agrees on.
    """
    if "*" in origin:
        return "wildcards are not allowed; list each origin"
    match = _ORIGIN.fullmatch(origin)
    if match is None or len(match["host"]) > 253:
        return (
            "must be an exact origin scheme://host[:port] (http or https) in lowercase ASCII, "
            "with no path, trailing slash, user, query or whitespace"
        )
    port = match["port"]
    if port is None:
        return None
    if port.startswith("0") or not 1 <= int(port) <= 65535:
        return "the port must be 1 to 65535, without leading zeros"
    if int(port) == _DEFAULT_PORTS[match["scheme"]]:
        return f"without the default port {port} (browsers omit it, so it would never match)"
    return None


def _check_origin(origin: str) -> None:
    problem = origin_problem(origin)
    if problem is not None:
        raise ConfigurationError(
            f"ALLOWED_ORIGINS: each entry must be an exact origin like https://www.example.com; "
            f"{problem}, got {origin!r}"
        )
