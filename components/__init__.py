"""connect-chat: Amazon Connect chat for a website, as a Pulumi component.

Installed, this package is `connect_chat`: `from connect_chat import ConnectChat,
ConnectChatArgs`. In this repository it is `components`. The component is imported on first
use, so local mode and the tests can read the pure modules (config, CSP) without loading
pulumi_aws.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .connect_chat import ConnectChat
    from .connect_chat_args import (
        ConnectChatArgs,
        DisplayNameOptions,
        PreChatFieldOptions,
        WidgetOptions,
    )

__all__ = [
    "ConnectChat",
    "ConnectChatArgs",
    "DisplayNameOptions",
    "PreChatFieldOptions",
    "WidgetOptions",
]


def __getattr__(name: str) -> Any:
    if name == "ConnectChat":
        from .connect_chat import ConnectChat

        return ConnectChat
    if name in __all__:
        from . import connect_chat_args

        return getattr(connect_chat_args, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
