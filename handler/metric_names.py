"""Every EMF metric the handler writes, in one place (namespace POWERTOOLS_METRICS_NAMESPACE).

Tests and the stack's alarms and dashboard read this list rather than keeping their own copy.
It imports nothing, so it can be read without importing the handler (components must not
import handler code): e.g. `runpy.run_path("handler/metric_names.py")["METRIC_NAMES"]`.
"""

from __future__ import annotations

# Every metric set also carries the `service` dimension (POWERTOOLS_SERVICE_NAME).
CHATS_STARTED = "ChatsStarted"
# Dimension REASON: the machine code of the refusal (handler/rejections.py, ErrorCode).
CHAT_REJECTIONS = "ChatRejections"
# Dimension ERROR_TYPE: Connect's error code or the SDK exception name. Configuration errors
# (e.g. a deleted flow: ResourceNotFoundException, AccessDeniedException) land here, so an
# alarm on them must never count what a client can cause at will.
CONNECT_ERRORS = "ConnectErrors"
# Connect's ResourceNotFoundException for a request that named a contact of its own
# (PersistentChat.SourceContactId, RelatedContactId): the client's mistake, not the stack's.
CLIENT_CONTACT_NOT_FOUND = "ClientContactNotFound"

REASON = "Reason"
ERROR_TYPE = "ErrorType"

METRIC_NAMES = (CHATS_STARTED, CHAT_REJECTIONS, CONNECT_ERRORS, CLIENT_CONTACT_NOT_FOUND)
