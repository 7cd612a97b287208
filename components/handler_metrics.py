"""What the start-chat handler writes as EMF metrics: the names ChatMonitoring selects.

Components never import the handler (it is the function's code, not the program's), so the
contract is written down here once; tests/infra runs the handler's own metrics code and fails
when what it really emits differs from these names and dimensions.
"""

from __future__ import annotations

NAMESPACE = "ConnectChat"
SERVICE = "connect-chat"
SERVICE_DIMENSION = "service"
# Set from STACK_NAME; two stacks in one account and region never share a metric.
STACK_DIMENSION = "stack"

CHATS_STARTED = "ChatsStarted"
CHAT_REJECTIONS = "ChatRejections"
REASON_DIMENSION = "Reason"
CONNECT_ERRORS = "ConnectErrors"
ERROR_TYPE_DIMENSION = "ErrorType"

# Powertools writes it on a line of its own, with only these two dimensions (no stack): the
# function's name is already per stack.
COLD_START = "ColdStart"
COLD_START_DIMENSIONS = ("function_name", SERVICE_DIMENSION)

# ErrorType values the handler answers 429 THROTTLED for: Connect's request-rate throttles and
# its concurrent-chat quota (LimitExceededException).
CONNECT_THROTTLING_ERROR_TYPES = (
    "LimitExceededException",
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
)
# ErrorType values the handler answers 500 CONFIGURATION_ERROR for: a deleted flow or
# instance, a revoked permission, broken credentials. Other configuration failures (an SDK
# error without a Connect code) still show as API 5XX and on the dashboard.
CONNECT_CONFIGURATION_ERROR_TYPES = (
    "AccessDeniedException",
    "ExpiredTokenException",
    "InvalidSignatureException",
    "ResourceNotFoundException",
    "UnrecognizedClientException",
)
