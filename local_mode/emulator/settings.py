"""Tunable timings of the emulator; the defaults are the real service's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmulatorSettings:
    # Amazon Connect ends a chat whose customer has not opened a participant connection
    # within 5 minutes of StartChatContact; the participant token then stops working.
    connect_deadline_seconds: float = 300.0
    # Wall-clock length of one ChatDurationInMinutes minute; tests shrink it to see expiry.
    seconds_per_minute: float = 60.0
    agent_join_delay: float = 1.0
    agent_typing_delay: float = 0.4
    # Ended contacts are kept (newest first) for transcripts and persistent chat; older ones
    # are forgotten so a long-running dev server does not grow without bound.
    max_ended_contacts: int = 1000
    # Chat items (messages, events, receipts) kept per contact for transcripts; beyond this
    # the oldest are forgotten, so one endless chat cannot grow the emulator without bound.
    max_items_per_contact: int = 5000
    # Websocket frames queued for a client that does not read; beyond this it is dropped.
    max_queued_frames: int = 1000
    websocket_lifetime_seconds: int = 3600
    # Connect's chat participant timeouts (opt-in there too): a customer whose websockets are
    # all gone for this long is auto-disconnected and the chat ends. None = never.
    customer_idle_disconnect_seconds: float | None = None
    # The stack's widget.postChatSurvey: the contact flow's disconnect branch asks one
    # question (a list picker) when the customer leaves a chat started with
    # DisconnectOnCustomerExit.
    post_chat_survey: bool = False

    def __post_init__(self) -> None:
        if self.max_items_per_contact < 1:
            raise ValueError(
                "EmulatorSettings.max_items_per_contact must be at least 1 (items kept per chat)"
            )
