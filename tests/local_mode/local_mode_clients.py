"""boto3 and websocket clients of the emulator, shared by the local-mode tests."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import boto3
import pytest
from botocore.config import Config

from local_mode.runner import LocalStack
from local_mode.stack_config import load_stack

DEV = load_stack("dev")


def participant_client(stack: LocalStack) -> Any:
    return boto3.client(
        "connectparticipant",
        endpoint_url=stack.emulator_url,
        region_name=DEV.region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}),
    )


def connect_client(stack: LocalStack) -> Any:
    return boto3.client(
        "connect",
        endpoint_url=stack.emulator_url,
        region_name=DEV.region,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}),
    )


def start_chat(stack: LocalStack, **fields: Any) -> dict[str, Any]:
    request = {
        "InstanceId": DEV.instance_id,
        "ContactFlowId": DEV.contact_flow_id,
        "ParticipantDetails": {"DisplayName": "Ann"},
    }
    request.update(fields)
    return connect_client(stack).start_chat_contact(**request)


def connect_customer(stack: LocalStack, participant_token: str) -> dict[str, Any]:
    return participant_client(stack).create_participant_connection(
        ParticipantToken=participant_token, Type=["WEBSOCKET", "CONNECTION_CREDENTIALS"]
    )


def error_code(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


class ChatSocketClient:
    """Speaks ChatJS's websocket protocol: subscribe, heartbeat, aws/chat envelopes."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def send(self, topic: str, content: Any = None) -> None:
        frame: dict[str, Any] = {"topic": topic}
        if content is not None:
            frame["content"] = content
        await self.ws.send_str(json.dumps(frame))

    async def subscribe(self) -> dict[str, Any]:
        await self.send("aws/subscribe", {"topics": ["aws/chat"]})
        return await self.next_frame()

    async def next_frame(self, timeout: float = 5) -> dict[str, Any]:
        message = await self.ws.receive(timeout=timeout)
        assert message.type == aiohttp.WSMsgType.TEXT, message
        return json.loads(message.data)

    async def next_item(self, timeout: float = 5) -> dict[str, Any]:
        frame = await self.next_frame(timeout)
        assert frame["topic"] == "aws/chat", frame
        assert frame["contentType"] == "application/json"
        return json.loads(frame["content"])

    async def item_where(self, predicate: Any, timeout: float = 5) -> dict[str, Any]:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError("expected chat item did not arrive")
            item = await self.next_item(remaining)
            if predicate(item):
                return item
