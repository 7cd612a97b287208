"""The Pulumi stack settings local mode copies, read from `Pulumi.<stack>.yaml`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from components.config import parse_widget
from components.config_error import ArgumentError, ConfigError
from handler.config import origin_problem

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PREFIX = "connect-chat:"


class StackConfigError(ValueError):
    """A stack file is missing or a key breaks its rule; the message names file and key."""


@dataclass(frozen=True)
class StackConfig:
    stack: str
    region: str
    instance_id: str
    contact_flow_id: str
    extra_contact_flow_ids: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    allowed_attributes: tuple[str, ...] = ()
    attachments_enabled: bool = True
    chat_duration_in_minutes: int = 1500
    resume_token_days: int = 30
    require_customer_token: bool = False
    widget: dict[str, Any] = field(default_factory=dict)

    @property
    def post_chat_survey(self) -> bool:
        return self.widget.get("postChatSurvey") is True

    @property
    def contact_flow_ids(self) -> frozenset[str]:
        return frozenset({self.contact_flow_id, *self.extra_contact_flow_ids})


def stack_file(stack: str, project_root: Path = PROJECT_ROOT) -> Path:
    return project_root / f"Pulumi.{stack}.yaml"


def load_stack(stack: str, path: Path | None = None) -> StackConfig:
    path = path or stack_file(stack)
    if not path.is_file():
        raise StackConfigError(
            f"{path} is missing: local mode reads the stack's instance, flow, origins and "
            f"attributes from it. Create it (see Pulumi.dev.yaml) or pick another stack "
            f"with --stack NAME."
        )
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        raise StackConfigError(f"{path} is not valid YAML: {error}") from None
    config = document.get("config") if isinstance(document, dict) else None
    if not isinstance(config, dict):
        raise StackConfigError(f"{path}: expected a top-level 'config:' mapping")
    read = _Reader(path, config)
    stack_config = StackConfig(
        stack=stack,
        region=read.text("aws:region", required=True),
        instance_id=read.text(PREFIX + "instanceId", required=True),
        contact_flow_id=read.text(PREFIX + "contactFlowId", required=True),
        extra_contact_flow_ids=read.texts(PREFIX + "extraContactFlowIds"),
        allowed_origins=read.origins(PREFIX + "allowedOrigins"),
        allowed_attributes=read.texts(PREFIX + "allowedAttributes"),
        attachments_enabled=read.flag(PREFIX + "attachmentsEnabled", default=True),
        chat_duration_in_minutes=read.minutes(PREFIX + "chatDurationInMinutes"),
        resume_token_days=read.days(PREFIX + "resumeTokenDays"),
        require_customer_token=read.flag(PREFIX + "requireCustomerToken", default=False),
        widget=read.mapping(PREFIX + "widget"),
    )
    # The stack's own rules (components/config.py), so `make dev` refuses what `pulumi up` would.
    try:
        parse_widget(stack_config.widget, stack_config.allowed_attributes)
    except ArgumentError as error:
        raise StackConfigError(f"{path}: {ConfigError.from_argument(error)}") from None
    return stack_config


@dataclass
class _Reader:
    path: Path
    config: dict[str, Any]

    def _fail(self, key: str, rule: str) -> StackConfigError:
        return StackConfigError(f"{self.path}: {key} {rule}")

    def text(self, key: str, required: bool = False) -> str:
        value = self.config.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "must be a non-empty string")
        return value.strip()

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.config.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            # Pulumi config set from the CLI stores lists as JSON or comma-separated text.
            value = [part.strip() for part in value.strip("[]").replace('"', "").split(",")]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "must be a list of strings")
        return tuple(v.strip() for v in value if v.strip())

    def origins(self, key: str) -> tuple[str, ...]:
        """The handler's rule (http allowed here), so a bad entry stops `make dev` at once
        instead of the handler refusing to start and the widget refusing config.json."""
        raw = self.config.get(key)
        # A YAML list is checked as written, as `pulumi up` will check it; a comma-separated
        # string (`pulumi config set`) is split and trimmed first.
        entries = raw if isinstance(raw, list) else self.texts(key)
        for origin in entries:
            problem = origin_problem(origin) if isinstance(origin, str) else "must be a string"
            if problem is not None:
                raise self._fail(key, f"entry {origin!r}: {problem}")
        return self.texts(key)

    def flag(self, key: str, default: bool) -> bool:
        value = self.config.get(key, default)
        if isinstance(value, str) and value.lower() in {"true", "false"}:
            return value.lower() == "true"
        if not isinstance(value, bool):
            raise self._fail(key, "must be true or false")
        return value

    def minutes(self, key: str) -> int:
        value = self.config.get(key, 1500)
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 60 <= value <= 10080:
            raise self._fail(key, "must be a whole number of minutes from 60 to 10080")
        return value

    def days(self, key: str) -> int:
        value = self.config.get(key, 30)
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
            raise self._fail(key, "must be a whole number of days from 1 to 365")
        return value

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.config.get(key, {})
        if not isinstance(value, dict):
            raise self._fail(key, "must be a mapping (title, primaryColor, preChatFields, ...)")
        return value
