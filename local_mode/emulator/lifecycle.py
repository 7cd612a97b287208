"""Timers Amazon Connect applies to every chat contact."""

from __future__ import annotations

from .chat import ChatStore, Contact


class ChatLifecycle:
    def __init__(self, store: ChatStore) -> None:
        self.store = store

    def contact_created(self, contact: Contact) -> None:
        settings = self.store.settings
        self.store.schedule(
            contact, settings.connect_deadline_seconds, lambda: self._connect_deadline(contact)
        )
        self.store.schedule(
            contact,
            contact.duration_minutes * settings.seconds_per_minute,
            lambda: self.store.end_contact(contact, "EXPIRED"),
        )

    def _connect_deadline(self, contact: Contact) -> None:
        if not contact.customer().connected:
            self.store.end_contact(contact, "CONNECT_DEADLINE")
