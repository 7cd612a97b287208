"""Local mode: the whole chat offline on an Amazon Connect emulator (`make dev`)."""
