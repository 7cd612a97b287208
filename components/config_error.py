"""The errors a setting that breaks a rule raises: each names the setting, the value and the rule.

`ConnectChat` validates its arguments and raises `ArgumentError`, named as in the package schema
(camelCase, the name every language's SDK shows). The repository's own stack reads the same
settings from `Pulumi.<stack>.yaml`, whose keys are those names in the `connect-chat` namespace,
so `ConfigError.from_argument` can name the key an operator edits.
"""

from __future__ import annotations

NAMESPACE = "connect-chat"


class ArgumentError(ValueError):
    """A `ConnectChat` argument breaks a rule; the message names argument, value and rule."""

    def __init__(self, argument: str, value: object, rule: str) -> None:
        self.argument = argument
        self.value = value
        self.rule = rule
        super().__init__(f"ConnectChat argument {argument} = {value!r}: {rule}")


class ConfigError(ValueError):
    """A stack configuration value breaks a rule; the message names key, value and rule."""

    def __init__(self, key: str, value: object, rule: str) -> None:
        self.key = key if ":" in key else f"{NAMESPACE}:{key}"
        self.value = value
        self.rule = rule
        super().__init__(f"config {self.key} = {value!r}: {rule}")

    @classmethod
    def from_argument(cls, error: ArgumentError) -> ConfigError:
        """The same failure, named by the stack config key that set the argument."""
        # The region is the AWS provider's own key; every other argument is ours.
        key = "aws:region" if error.argument == "region" else error.argument
        return cls(key, error.value, error.rule)
