"""Replays of the request shapes real clients send (shared/reference/wire-contract.md)."""

import base64
import json

from handler_harness import ALLOWED_ORIGIN, CONTACT_FLOW_ID, INSTANCE_ID, lambda_context, rest_event

PREBUILT_WIDGET_BODY = {
    "InstanceId": INSTANCE_ID,
    "ContactFlowId": CONTACT_FLOW_ID,
    "ParticipantDetails": {"DisplayName": "Ada Lovelace"},
    "Attributes": {"topic": "Billing"},
    "InitialMessage": {"ContentType": "text/plain", "Content": "I have a question"},
    "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
    "ChatDurationInMinutes": 1500,
    "Username": "ada",
}
JQUERY_BODY = {
    "ParticipantDetails": {"DisplayName": "Ada"},
    "ContactFlowId": CONTACT_FLOW_ID,
    "InstanceId": INSTANCE_ID,
    "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
    "ChatDurationInMinutes": 1500,
}


def call(app, event):
    response = app.lambda_handler(event, lambda_context())
    return response, json.loads(response["body"])


def assert_chatjs_can_start(response, body):
    """What the widget does next: ChatSession.create({chatDetails: data.startChatResult})."""
    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"] == "application/json"
    details = body["data"]["startChatResult"]
    assert all(
        isinstance(details[k], str) for k in ("ContactId", "ParticipantId", "ParticipantToken")
    )
    assert isinstance(body["data"]["featurePermissions"]["ATTACHMENTS"], bool)


def test_prebuilt_widget_default_fetch_without_content_type(handler_app, fake_connect):
    # fetch() with a string body and no headers: the browser labels it text/plain, no preflight.
    event = rest_event(json.dumps(PREBUILT_WIDGET_BODY), content_type="text/plain;charset=UTF-8")
    response, body = call(handler_app, event)
    assert_chatjs_can_start(response, body)
    assert response["headers"]["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    sent = fake_connect.received[0].body
    assert sent["InitialMessage"] == PREBUILT_WIDGET_BODY["InitialMessage"]
    assert sent["ChatDurationInMinutes"] == 1500 and "Username" not in sent


def test_prebuilt_widget_with_integrator_headers_preflights_then_posts(handler_app, fake_connect):
    preflight = rest_event(
        None,
        method="OPTIONS",
        content_type=None,
        extra_headers={
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    response, _ = call(handler_app, preflight)
    assert 200 <= response["statusCode"] < 300
    allowed = response["headers"]["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed
    post = rest_event(
        json.dumps(PREBUILT_WIDGET_BODY),
        content_type="application/json",
        extra_headers={"Authorization": "Bearer integrator-token"},
    )
    assert_chatjs_can_start(*call(handler_app, post))


def test_jquery_custom_page_sends_json_labelled_as_form(handler_app, fake_connect):
    event = rest_event(
        json.dumps(JQUERY_BODY),
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    response, body = call(handler_app, event)
    assert_chatjs_can_start(response, body)
    assert body["data"]["featurePermissions"]["MESSAGING_MARKDOWN"] is True


def test_attributes_sent_as_a_json_string(handler_app, fake_connect):
    payload = {**JQUERY_BODY, "Attributes": json.dumps({"topic": "Sales", "order_id": "A-1"})}
    response, body = call(handler_app, rest_event(json.dumps(payload)))
    assert_chatjs_can_start(response, body)
    assert fake_connect.received[0].body["Attributes"] == {
        "topic": "Sales",
        "order_id": "A-1",
        "customerName": "Ada",
    }


def test_binary_media_type_base64_body(handler_app, fake_connect):
    encoded = base64.b64encode(json.dumps(JQUERY_BODY).encode()).decode()
    response, body = call(handler_app, rest_event(encoded, base64=True))
    assert_chatjs_can_start(response, body)


def test_server_to_server_call_without_origin(handler_app, fake_connect):
    response, body = call(handler_app, rest_event(json.dumps(JQUERY_BODY), origin=None))
    assert_chatjs_can_start(response, body)
    assert not any(k.lower().startswith("access-control") for k in response["headers"])


def test_the_samples_attack_shape_is_refused_readably(handler_app, fake_connect):
    # The sample let any page name any flow; the widget must still get JSON it can read.
    payload = {**PREBUILT_WIDGET_BODY, "ContactFlowId": "internal-escalation-flow"}
    response, body = call(handler_app, rest_event(json.dumps(payload)))
    assert response["statusCode"] == 403
    assert body["error"]["code"] == "FORBIDDEN_CONTACT_FLOW"
    assert response["headers"]["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert fake_connect.received == []


def test_missing_participant_details_is_a_readable_400_not_a_502(handler_app, fake_connect):
    response, body = call(handler_app, rest_event(json.dumps({"ContactFlowId": CONTACT_FLOW_ID})))
    assert response["statusCode"] == 400
    assert "ParticipantDetails.DisplayName" in body["error"]["message"]
    assert response["headers"]["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN


def test_aws_sample_widget_index_page_starts_a_chat(handler_app, fake_connect):
    """widgetIndex.html: Attributes as a JSON string holding customerName, and persistentChat
    left unfilled (empty strings). Both used to be refused with 400."""
    payload = {
        **PREBUILT_WIDGET_BODY,
        "Attributes": json.dumps({"customerName": "Ada Lovelace"}),
        "PersistentChat": {"RehydrationType": "", "SourceContactId": ""},
    }
    response, body = call(handler_app, rest_event(json.dumps(payload)))
    assert_chatjs_can_start(response, body)
    sent = fake_connect.received[0].body
    assert sent["Attributes"] == {"customerName": "Ada Lovelace"}
    assert "PersistentChat" not in sent
    assert isinstance(body["data"]["resumeToken"], str) and len(body["data"]["resumeToken"]) <= 256


def test_prebuilt_widget_with_a_signed_customer_token_in_its_headers(handler_app, fake_connect):
    """The integrator's page puts the JWT in initiateChat's `headers`; its backend may name the
    contact to continue in the claims, since that page never sees data.resumeToken."""
    import time

    import jwt
    from handler_harness import CURRENT_KEY

    now = int(time.time())
    claims = {
        "sub": "customer-7",
        "iat": now,
        "exp": now + 300,
        "rehydrationType": "FROM_SEGMENT",
        "sourceContactId": "11111111-0000-4000-8000-000000000001",
    }
    token = jwt.encode(claims, CURRENT_KEY, algorithm="HS256")
    post = rest_event(
        json.dumps(PREBUILT_WIDGET_BODY),
        content_type="application/json",
        extra_headers={"Authorization": f"Bearer {token}"},
    )
    assert_chatjs_can_start(*call(handler_app, post))
    sent = fake_connect.received[0].body
    assert sent["CustomerId"] == "customer-7"
    assert sent["PersistentChat"] == {
        "RehydrationType": "FROM_SEGMENT",
        "SourceContactId": "11111111-0000-4000-8000-000000000001",
    }
