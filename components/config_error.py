"""The one error every stack-config rule raises: it names the key, the value and the rule."""

from __future__ import annotations

NAMESPACE = "connect-chat"


class ConfigError(ValueError):
    """A configuration value breaks a rule; the message names key, value and rule."""

    def __init__(self, key: str, value: object, rule: str) -> None:
        self.key = key if ":" in key else f"{NAMESPACE}:{key}"
        self.value = value
        self.rule = rule
        super().__init__(f"config {self.key} = {value!r}: {rule}")
