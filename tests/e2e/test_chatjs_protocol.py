"""Unmodified ChatJS (amazon-connect-chatjs 5.0.0, as npm installs it) in Debian chromium
runs a whole chat against local mode: the real handler starts it, the emulator serves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from local_mode.runner import LocalStack, start_background

ROOT = Path(__file__).resolve().parents[2]
CHATJS = (
    ROOT / "site" / "node_modules" / "amazon-connect-chatjs" / "dist" / "amazon-connect-chat.js"
)

pytestmark = pytest.mark.e2e

CHAT_SCRIPT = """
async ({apiUrl, endpoint, region}) => {
  const log = [];
  const waiters = [];
  const record = (kind, data) => {
    log.push({kind, type: data?.Type, contentType: data?.ContentType,
              role: data?.ParticipantRole, content: data?.Content});
    waiters.forEach((w) => w());
  };
  const until = (test, label) => new Promise((resolve, reject) => {
    const check = () => { const hit = log.find(test); if (hit) { resolve(hit); return true; } };
    if (check()) return;
    const timer = setTimeout(() => reject(new Error("timed out waiting for " + label)), 10000);
    waiters.push(() => { if (check()) clearTimeout(timer); });
  });

  connect.ChatSession.setGlobalConfig({region, endpoint, loggerConfig: {useDefaultLogger: false}});
  const response = await fetch(apiUrl, {method: "POST",
    body: JSON.stringify({ParticipantDetails: {DisplayName: "Browser"},
                          SupportedMessagingContentTypes: ["text/plain", "text/markdown"]})});
  const body = await response.json();
  if (!response.ok) throw new Error("start chat failed: " + JSON.stringify(body));
  const session = connect.ChatSession.create({
    chatDetails: body.data.startChatResult, type: connect.ChatSession.SessionTypes.CUSTOMER,
    options: {region},
  });
  session.onConnectionEstablished(() => record("established", {}));
  session.onMessage((event) => record("message", event.data));
  session.onTyping((event) => record("typing", event.data));
  session.onParticipantIdle?.(() => {});
  session.onEnded(() => record("ended", {}));
  const connected = await session.connect();
  if (!connected.connectSuccess) throw new Error("connect failed");
  await until((e) => e.kind === "established", "connection");
  await until((e) => e.kind === "message" && e.role === "AGENT"
                      && e.contentType?.endsWith("participant.joined"), "agent join");
  await until((e) => e.kind === "typing" && e.role === "AGENT", "agent typing");
  await until((e) => e.kind === "message" && e.role === "AGENT" && e.type === "MESSAGE",
              "greeting");
  await session.sendMessage({contentType: "text/plain", message: "hello from chromium"});
  await until((e) => e.content === "You said: hello from chromium", "echo");
  await session.sendEvent({contentType: "application/vnd.amazonaws.connect.event.typing"});
  const transcript = await session.getTranscript({scanDirection: "BACKWARD",
                                                  sortOrder: "ASCENDING", maxResults: 15});
  await session.disconnectParticipant();
  await until((e) => e.kind === "ended", "chat ended");
  return {
    contactId: body.data.startChatResult.ContactId,
    transcript: transcript.data.Transcript.map((i) => i.Content).filter(Boolean),
    log,
  };
}
"""


@pytest.fixture(scope="module")
def protocol_stack() -> Iterator[LocalStack]:
    # This test needs the emulator, the API and a page on an allowed origin, not the widget.
    stack = start_background("dev", agent_join_delay=0.2, require_site=False)
    yield stack
    stack.stop()


def test_unmodified_chatjs_runs_a_whole_chat(page, protocol_stack):
    assert CHATJS.is_file(), f"{CHATJS} is missing: run `npm ci` in site/ (make site)"
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(protocol_stack.host_url + "/blank.html")
    page.add_script_tag(path=str(CHATJS))
    result = page.evaluate(
        CHAT_SCRIPT,
        {
            "apiUrl": protocol_stack.api_url,
            "endpoint": protocol_stack.emulator_url,
            "region": protocol_stack.stack.region,
        },
    )
    assert "hello from chromium" in result["transcript"]
    assert "You said: hello from chromium" in result["transcript"]
    assert any(entry["kind"] == "typing" for entry in result["log"])
    assert errors == []
    contacts = protocol_stack.run_in_loop(
        lambda: {
            c.contact_id: (c.state, c.end_reason)
            for c in protocol_stack.emulator.store.contacts.values()
        }
    )
    assert contacts[result["contactId"]] == ("ENDED", "CUSTOMER_DISCONNECT")
