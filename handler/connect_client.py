"""The one Amazon Connect client of the function, with bounded retries and timeouts."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, cast

import boto3
from botocore.config import Config

if TYPE_CHECKING:  # types only (mypy-boto3-connect, a dev requirement): nothing at cold start
    from mypy_boto3_connect import ConnectClient

# The function's timeout is 10 s (components/start_chat_function.py) and API Gateway gives up at
# 29 s, so one StartChatContact must end well inside 10 s, retries included. Standard mode backs
# off rand(0..1) x 0.05 s x 2^i after a timeout or 5xx and rand x 1 s x 2^i after a throttle (a
# throttle answers at once), so the worst of three attempts is three timeouts:
# 3 x (1 + 1.5) s + 0.15 s = 7.65 s. Connect answers StartChatContact in well under a second;
# a retry after a slow read does not start a second chat, because botocore fills ClientToken
# once per call and resends the same one. ("max_attempts" would count retries only.)
MAX_ATTEMPTS = 3
CONNECT_TIMEOUT_SECONDS = 1
READ_TIMEOUT_SECONDS = 1.5


def connect_client_config(
    max_attempts: int = MAX_ATTEMPTS,
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
    read_timeout: float = READ_TIMEOUT_SECONDS,
) -> Config:
    return Config(
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
    )


def build_connect_client(config: Config | None = None) -> ConnectClient:
    """Honours AWS_REGION and AWS_ENDPOINT_URL_CONNECT like the other AWS SDKs.

    botocore itself reads only AWS_DEFAULT_REGION; Lambda sets both, local mode and tests may
    set only AWS_REGION, so it is passed explicitly.
    """
    client = boto3.client(
        "connect",
        region_name=os.environ.get("AWS_REGION") or None,
        config=config or connect_client_config(),
    )
    return cast("ConnectClient", client)
