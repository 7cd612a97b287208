"""An in-memory Amazon Connect (StartChatContact) and Participant Service emulator.

A development and test tool, not a store: all state is in process memory.
"""

from .app import Emulator
from .connect_api import ConnectInstance
from .settings import EmulatorSettings

__all__ = ["ConnectInstance", "Emulator", "EmulatorSettings"]
