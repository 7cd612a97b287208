"""The handler's settings, read once from the environment, with messages for operators."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import urlsplit

ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_-]+")
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
                    "(letters, digits, '-' and '_' only)"
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
            disconnect_on_customer_exit=tuple(dict.fromkeys(disconnect)),
        )


def _required(environ: Mapping[str, str], name: str, max_length: int) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise ConfigurationError(f"{name} is required (the Amazon Connect id to use)")
    if len(value) > max_length:
        raise ConfigurationError(f"{name} must be at most {max_length} characters")
    return value


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
