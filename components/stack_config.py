"""This repository's own stack: `Pulumi.<stack>.yaml` as ConnectChat's arguments.

The config keys are the arguments' schema names in the `connect-chat` namespace (plus the AWS
provider's `aws:region`), so the mapping is mechanical: read each key, turn the string Pulumi
stores into the argument's type, and name any failure by the key the operator edits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from .chat_settings import python_args, schema_name, setting_kind
from .config import ConnectChatConfig, settings_from_values
from .config_error import NAMESPACE, ArgumentError, ConfigError
from .connect_chat_args import ConnectChatArgs

# Read from the AWS provider's own key, not the project's namespace.
_REGION_FIELD = "region"
# Every key of the project namespace, as Pulumi.yaml declares them (`widget` is an object,
# which Pulumi.yaml's config types cannot declare).
SETTING_KEYS: tuple[str, ...] = tuple(
    schema_name(field) for field in ConnectChatArgs.__annotations__ if field != _REGION_FIELD
)
CONFIG_KEYS: tuple[str, ...] = tuple(key for key in SETTING_KEYS if key != "widget")
_FIELDS = {schema_name(field): field for field in ConnectChatArgs.__annotations__}


def _typed(key: str, raw: str) -> Any:
    """The string Pulumi stores, as the argument's type; left as is when it is not one."""
    kind = setting_kind(_FIELDS[key])
    if kind in (list, dict):
        try:
            return json.loads(raw)
        except json.JSONDecodeError as error:
            raise ConfigError(
                key, raw, f"must be valid JSON/YAML structure ({error.msg})"
            ) from None
    if kind is bool and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            return raw  # the rule names the range
    return raw


def values_from_stack_config(raw: Mapping[str, str | None]) -> dict[str, Any]:
    """Raw config strings (keys without the namespace, plus `aws:region`) by schema name."""
    values: dict[str, Any] = {"region": raw.get("aws:region")}
    for key in SETTING_KEYS:
        value = raw.get(key)
        if value is not None and value != "":
            values[key] = _typed(key, value)
    return values


@contextmanager
def named_by_config_key() -> Iterator[None]:
    """Re-raises an argument's failure named by the stack config key that set it."""
    try:
        yield
    except ArgumentError as error:
        raise ConfigError.from_argument(error) from None


def parse_config(raw: Mapping[str, str | None]) -> ConnectChatConfig:
    """Validates a stack's raw config: failures name the config key, the value and the rule."""
    with named_by_config_key():
        return settings_from_values(values_from_stack_config(raw))


def stack_args(raw: Mapping[str, str | None]) -> ConnectChatArgs:
    """A stack's raw config as ConnectChat's arguments (Python names)."""
    with named_by_config_key():
        return python_args(values_from_stack_config(raw))


def read_stack_config() -> dict[str, str | None]:
    """Every key of the running stack's configuration, as Pulumi stores it."""
    import pulumi

    project = pulumi.Config(NAMESPACE)
    raw: dict[str, str | None] = {key: project.get(key) for key in SETTING_KEYS}
    raw["aws:region"] = pulumi.Config("aws").get("region")
    return raw
