"""Timers Amazon Connect applies to every chat contact."""

from __future__ import annotations

from .chat import AUTO_DISCONNECTION, PARTICIPANT_LEFT, ChatStore, Contact, Participant


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

    def socket_closed(self, contact: Contact, participant: Participant) -> None:
        """A client that vanished without DisconnectParticipant is timed out, not kept forever."""
        timeout = self.store.settings.customer_idle_disconnect_seconds
        if timeout is None or participant.role != "CUSTOMER" or participant.sockets:
            return
        self.store.schedule(contact, timeout, lambda: self._idle_check(contact, participant))

    def _idle_check(self, contact: Contact, participant: Participant) -> None:
        if contact.ended or participant.left or participant.sockets:
            return
        self.store.post(contact, None, item_type="EVENT", content_type=AUTO_DISCONNECTION)
        self.store.post(contact, participant, item_type="EVENT", content_type=PARTICIPANT_LEFT)
        participant.left = True
        self.store.end_contact(contact, "CUSTOMER_IDLE")

    def _connect_deadline(self, contact: Contact) -> None:
        if not contact.customer().connected:
            self.store.end_contact(contact, "CONNECT_DEADLINE")
