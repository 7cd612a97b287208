"""The one Amazon Connect client of the function, with bounded retries and timeouts."""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config

# Worst case of one StartChatContact: MAX_ATTEMPTS (in total, the first try included) x
# (CONNECT + READ) plus standard-mode backoff (at most 1 s, then 2 s) = 3 x 4 s + 3 s = 15 s,
# well under API Gateway's 29 s; the Lambda timeout must be above it (20 s leaves room for
# init). Retries do not start a second chat: botocore fills ClientToken once per call and
# resends the same one. (botocore's "max_attempts" key counts retries only, hence "total_".)
MAX_ATTEMPTS = 3
CONNECT_TIMEOUT_SECONDS = 1
READ_TIMEOUT_SECONDS = 3


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


def build_connect_client(config: Config | None = None) -> Any:
    """Honours AWS_REGION and AWS_ENDPOINT_URL_CONNECT like the other AWS SDKs.

    botocore itself reads only AWS_DEFAULT_REGION; Lambda sets both, local mode and tests may
    set only AWS_REGION, so it is passed explicitly.
    """
    return boto3.client(
        "connect",
        region_name=os.environ.get("AWS_REGION") or None,
        config=config or connect_client_config(),
    )
