"""DisconnectOnCustomerExit: the agent leaves, the flow's disconnect branch runs the survey."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from local_mode_clients import (
    connect_customer,
    error_code,
    participant_client,
    start_chat,
)

from local_mode.emulator import EmulatorSettings
from local_mode.runner import LocalStack, start_background
from local_mode.stack_config import stack_file

INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive"
RESPONSE = INTERACTIVE + ".response"
LEFT = "application/vnd.amazonaws.connect.event.participant.left"
ENDED = "application/vnd.amazonaws.connect.event.chat.ended"


def survey_stack_file(tmp_path: Path, survey: bool) -> Path:
    text = stack_file("dev").read_text()
    path = tmp_path / "Pulumi.survey.yaml"
    setting = "true" if survey else "false"
    path.write_text(
        text.replace(
            "    persistentChat: true\n",
            f"    persistentChat: true\n    postChatSurvey: {setting}\n",
        )
    )
    return path


def stack_with_survey(tmp_path: Path, survey: bool) -> LocalStack:
    return start_background(
        "survey",
        stack_file=survey_stack_file(tmp_path, survey),
        agent_join_delay=0.05,
        require_site=False,
        emulator_settings=EmulatorSettings(agent_typing_delay=0.01),
    )


@pytest.fixture
def survey_on(tmp_path: Path) -> Iterator[LocalStack]:
    stack = stack_with_survey(tmp_path, True)
    yield stack
    stack.stop()


@pytest.fixture
def survey_off(tmp_path: Path) -> Iterator[LocalStack]:
    stack = stack_with_survey(tmp_path, False)
    yield stack
    stack.stop()


def contact_detail(stack: LocalStack, contact_id: str) -> dict:
    url = f"{stack.emulator_url}/_emulator/contacts/{contact_id}"
    return json.loads(urllib.request.urlopen(url).read())


def joined_chat(stack: LocalStack, **fields: object) -> tuple[dict, str]:
    started = start_chat(stack, **fields)
    token = connect_customer(stack, started["ParticipantToken"])["ConnectionCredentials"][
        "ConnectionToken"
    ]
    deadline = time.monotonic() + 5
    while not any(
        item.get("ParticipantRole") == "AGENT" and item["Type"] == "MESSAGE"
        for item in transcript(stack, token)
    ):
        assert time.monotonic() < deadline, "the agent never greeted"
        time.sleep(0.05)
    return started, token


def transcript(stack: LocalStack, token: str) -> list[dict]:
    return participant_client(stack).get_transcript(ConnectionToken=token, MaxResults=100)[
        "Transcript"
    ]


def wait_for(check, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.05)


def test_survey_runs_after_the_customer_leaves_and_ends_the_chat_on_the_answer(survey_on):
    started, token = joined_chat(survey_on, DisconnectOnCustomerExit=["AGENT"])
    client = participant_client(survey_on)
    client.disconnect_participant(ConnectionToken=token)

    detail = contact_detail(survey_on, started["ContactId"])
    assert (detail["State"], detail["DisconnectOnCustomerExit"]) == ("CONNECTED", ["AGENT"])
    items = transcript(survey_on, token)
    left = [i for i in items if i["ContentType"] == LEFT]
    assert [i["ParticipantRole"] for i in left] == ["AGENT"]
    survey = items[-1]
    assert (survey["Type"], survey["ContentType"], survey["ParticipantRole"]) == (
        "MESSAGE",
        INTERACTIVE,
        "SYSTEM",
    )
    content = json.loads(survey["Content"])
    assert content["templateType"] == "ListPicker"
    assert [e["title"] for e in content["data"]["content"]["elements"]] == [
        "Very good",
        "Good",
        "Poor",
    ]

    answer = {
        "templateType": "ListPicker",
        "version": "1.0",
        "data": {"content": {"title": "Good", "elementId": "1"}},
    }
    client.send_message(ConnectionToken=token, ContentType=RESPONSE, Content=json.dumps(answer))
    detail = wait_for(
        lambda: (d := contact_detail(survey_on, started["ContactId"]))["State"] == "ENDED" and d
    )
    assert detail["EndReason"] == "CUSTOMER_DISCONNECT"
    # Only the flow spoke after the agent left: no scripted reply to the answer.
    with pytest.raises(ClientError) as caught:
        transcript(survey_on, token)
    assert error_code(caught) == ("AccessDeniedException", 403)


def test_without_disconnect_on_customer_exit_the_customer_leaving_ends_the_chat(survey_on):
    started, token = joined_chat(survey_on)
    participant_client(survey_on).disconnect_participant(ConnectionToken=token)
    detail = contact_detail(survey_on, started["ContactId"])
    assert (detail["State"], detail["EndReason"]) == ("ENDED", "CUSTOMER_DISCONNECT")


def test_disconnect_branch_without_a_survey_ends_the_chat_after_the_agent_leaves(survey_off):
    started, token = joined_chat(survey_off, DisconnectOnCustomerExit=["AGENT"])
    participant_client(survey_off).disconnect_participant(ConnectionToken=token)
    detail = contact_detail(survey_off, started["ContactId"])
    assert (detail["State"], detail["EndReason"]) == ("ENDED", "CUSTOMER_DISCONNECT")


def test_disconnect_on_customer_exit_takes_only_agent(survey_on):
    with pytest.raises(ClientError) as caught:
        start_chat(survey_on, DisconnectOnCustomerExit=["CUSTOMER"])
    assert error_code(caught) == ("InvalidParameterException", 400)
