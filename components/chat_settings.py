"""ConnectChat's arguments, validated: before anything is declared, or when outputs resolve.

Arguments arrive with Python names (`instance_id`), as `ConnectChatArgs` declares them and as
Pulumi's component provider hands them over; the rules in `config.py` use the schema names
(`instanceId`), which are also the stack config keys. This module maps one to the other along
the argument types, so the two cannot drift.
"""

from __future__ import annotations

import inspect
import os
import typing
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args, get_origin

import pulumi
from pulumi.provider.experimental.util import camel_case

from .config import ConnectChatConfig, settings_from_values
from .config_error import ArgumentError
from .connect_chat_args import ConnectChatArgs

# Stands in for an instance or flow id that is still an output, so the plain arguments can be
# checked before any resource; it never reaches a resource (ChatSettings.resolved replaces it).
PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"


def _unwrap(annotation: Any) -> Any:
    """The type under NotRequired[...] and pulumi.Input[...] (Union[T, Awaitable[T], Output[T]])."""
    while True:
        origin = get_origin(annotation)
        if origin in (typing.NotRequired, typing.Required):
            annotation = get_args(annotation)[0]
        elif origin is typing.Union and any(
            get_origin(arg) is Awaitable for arg in get_args(annotation)
        ):
            annotation = next(a for a in get_args(annotation) if get_origin(a) is Awaitable)
            annotation = get_args(annotation)[0]
        else:
            return annotation


def _is_sequence(annotation: Any) -> bool:
    return get_origin(annotation) in (list, Sequence, typing.Sequence)


def _fields(typed_dict: type) -> dict[str, Any]:
    return inspect.get_annotations(typed_dict)


def is_input(typed_dict: type, field: str) -> bool:
    """Whether the field is declared `pulumi.Input[...]` (else it must be a plain value)."""
    annotation = _fields(typed_dict)[field]
    if get_origin(annotation) in (typing.NotRequired, typing.Required):
        annotation = get_args(annotation)[0]
    return get_origin(annotation) is typing.Union


def setting_kind(field: str) -> type:
    """str, int, bool, list or dict: the plain type of a ConnectChatArgs field."""
    annotation = _unwrap(_fields(ConnectChatArgs)[field])
    if _is_sequence(annotation):
        return list
    if typing.is_typeddict(annotation):
        return dict
    return annotation


def schema_name(field: str) -> str:
    """The name the schema, every SDK but Python's and the stack config use for a field."""
    return camel_case(field)


def _convert(value: Any, typed_dict: type, to_schema: bool, where: str) -> Any:
    """A nested argument dict with its keys renamed, recursively; other values unchanged."""
    if not isinstance(value, Mapping):
        return value
    fields = _fields(typed_dict)
    by_schema = {schema_name(name): name for name in fields}
    converted: dict[str, Any] = {}
    for key, item in value.items():
        field = key if to_schema else by_schema.get(key)
        if field not in fields:
            hint = f" (Python names are snake_case: {by_schema[key]})" if key in by_schema else ""
            name = f"{where}.{key}" if where else str(key)
            raise ArgumentError(name, item, f"is not an argument{hint}")
        inner = _unwrap(fields[field])
        target = schema_name(field) if to_schema else field
        path = f"{where}.{schema_name(field)}" if where else schema_name(field)
        if typing.is_typeddict(inner):
            converted[target] = _convert(item, inner, to_schema, path)
        elif _is_sequence(inner) and typing.is_typeddict(_unwrap(get_args(inner)[0])):
            element = _unwrap(get_args(inner)[0])
            converted[target] = (
                [
                    _convert(entry, element, to_schema, f"{path}[{index}]")
                    for index, entry in enumerate(item)
                ]
                if isinstance(item, list | tuple)
                else item
            )
        else:
            converted[target] = item
    return converted


def schema_values(args: Mapping[str, Any]) -> dict[str, Any]:
    """Python-named arguments as the rules read them: by schema name, plain values."""
    return _convert(args, ConnectChatArgs, to_schema=True, where="")


def python_args(values: Mapping[str, Any]) -> ConnectChatArgs:
    """Schema-named values (a stack's config) as ConnectChatArgs."""
    return typing.cast(ConnectChatArgs, _convert(values, ConnectChatArgs, False, ""))


def _is_plain(value: Any) -> bool:
    if isinstance(value, pulumi.Output | Awaitable):
        return False
    if isinstance(value, Mapping):
        return all(_is_plain(item) for item in value.values())
    if isinstance(value, list | tuple):
        return all(_is_plain(item) for item in value)
    return True


@dataclass(frozen=True)
class ChatSettings:
    """The validated settings: `now` for plain arguments, `resolved` for every argument.

    When every argument is plain (the usual case, and always in this repository's stack), both
    hold the same settings, checked before any resource is declared. When a program passes an
    output of another resource, `now` has placeholders for the inputs and must be read only
    for plain arguments; `resolved` checks everything again once the outputs are known, and
    a failure there fails the deployment with the same message.
    """

    now: ConnectChatConfig
    resolved: pulumi.Output[ConnectChatConfig]


def default_region() -> str | None:
    """The AWS provider's region: its aws:region config, else the environment it reads."""
    return (
        pulumi.Config("aws").get("region")
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
    )


def chat_settings(args: Mapping[str, Any]) -> ChatSettings:
    """Validates `args` now as far as they are known; see ChatSettings."""
    if not isinstance(args, Mapping):
        raise ArgumentError("args", args, "must be a dict of ConnectChatArgs")
    for field, value in args.items():
        plain_only = field in _fields(ConnectChatArgs) and not is_input(ConnectChatArgs, field)
        if plain_only and not _is_plain(value):
            raise ArgumentError(
                schema_name(field),
                "<output>",
                "must be a plain value, known before deployment: it decides which "
                "resources exist or is checked against other settings",
            )
    values = schema_values(args)
    if values.get("region") in (None, ""):
        values["region"] = default_region()
    unknown = {name for name, value in values.items() if not _is_plain(value)}
    if not unknown:
        config = settings_from_values(values)
        return ChatSettings(config, pulumi.Output.from_input(config))
    # Check every plain argument now, with a valid stand-in for each input not yet known.
    stand_ins: dict[str, Any] = {name: None for name in unknown}
    stand_ins.update(
        {name: PLACEHOLDER_ID for name in ("instanceId", "contactFlowId") if name in unknown}
    )
    now = settings_from_values({**values, **stand_ins})
    known = {name: value for name, value in values.items() if name not in unknown}
    pending = pulumi.Output.all(
        **{name: pulumi.Output.from_input(values[name]) for name in unknown}
    )
    resolved = pending.apply(lambda outputs: settings_from_values({**known, **outputs}))
    return ChatSettings(now, resolved)
