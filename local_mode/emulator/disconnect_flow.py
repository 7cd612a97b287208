"""The contact flow's disconnect branch, as Connect runs it for DisconnectOnCustomerExit.

A chat started with DisconnectOnCustomerExit ["AGENT"] does not end when the customer leaves:
Connect disconnects the agent and the contact continues into the flow's disconnect branch,
with the customer's websocket still open (ChatJS 4+ keeps it until chat.ended). With the
stack's post-chat survey on, that branch asks one question (a list picker, as a "Get customer
input" block sends it) and ends the chat once the customer answers.
"""

from __future__ import annotations

from typing import Any

from . import interactive
from .chat import PARTICIPANT_LEFT, ChatStore, Contact

# How Connect labels what a flow block sends.
FLOW_SENDER = {"ParticipantRole": "SYSTEM", "DisplayName": "SYSTEM_MESSAGE"}
SURVEY_THANKS = "Thank you for your feedback. Goodbye!"


def customer_exits(store: ChatStore, contact: Contact) -> bool:
    """Runs the disconnect branch if the chat asked for it; False: end the chat as usual."""
    if "AGENT" not in contact.disconnect_on_customer_exit or contact.in_disconnect_flow:
        return False
    contact.in_disconnect_flow = True
    agent = contact.agent()
    if agent is not None and not agent.left:
        store.post(contact, agent, item_type="EVENT", content_type=PARTICIPANT_LEFT)
        agent.left = True
        for socket in list(agent.sockets):
            socket.close_soon()
    if not store.settings.post_chat_survey:
        store.end_contact(contact, "CUSTOMER_DISCONNECT")
        return True
    store.post(
        contact,
        None,
        item_type="MESSAGE",
        content_type=interactive.INTERACTIVE,
        content=interactive.survey(),
        extra=FLOW_SENDER,
    )
    return True


class DisconnectFlow:
    """Ends a chat in its disconnect branch once the customer has answered the survey."""

    def __init__(self, store: ChatStore) -> None:
        self.store = store
        store.listeners.append(self._on_item)

    def _on_item(self, contact: Contact, item: dict[str, Any]) -> None:
        if not contact.in_disconnect_flow or contact.ended:
            return
        if item.get("ParticipantRole") != "CUSTOMER" or item["Type"] != "MESSAGE":
            return
        self.store.post(
            contact,
            None,
            item_type="MESSAGE",
            content_type="text/plain",
            content=SURVEY_THANKS,
            extra=FLOW_SENDER,
        )
        self.store.end_contact(contact, "CUSTOMER_DISCONNECT")
