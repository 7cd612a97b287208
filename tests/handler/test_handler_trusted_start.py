"""The attacks of issue 8, end to end through StartChatService, with botocore's Stubber checking
the exact StartChatContact parameters (or that none was sent).
"""

import json

import boto3
import jwt
import pytest
from botocore.stub import Stubber
from handler_harness import ALLOWED_ORIGIN, CONTACT_FLOW_ID, INSTANCE_ID, PREVIOUS_KEY, rest_event

from handler.resume_token import issue_resume_token, read_resume_token
from handler.service import StartChatService
from handler.signing_keys import SigningKeys, StaticKeys

NOW = 1_800_000_000
THIRTY_DAYS = 30 * 86_400
ALICE_FIRST = "aaaaaaaa-0000-4000-8000-000000000001"
ALICE_SECOND = "aaaaaaaa-0000-4000-8000-000000000002"
NEW_CONTACT = "bbbbbbbb-0000-4000-8000-000000000003"
PERSISTENT_403 = {
    "code": "PERSISTENT_CHAT_NOT_AUTHORIZED",
    "message": "PersistentChat.SourceContactId: send the resumeToken returned (in data) by the "
    "start of the chat to continue; a contact id is not accepted ({}). Without a valid token, "
    "start a new chat without PersistentChat",
    "requestId": "req",
}
INVALID_401 = {
    "code": "INVALID_CUSTOMER_TOKEN",
    "message": "Authorization: the customer token is invalid or expired; get a new one from the "
    "site's backend and send it as 'Authorization: Bearer <jwt>'",
    "requestId": "req",
}


@pytest.fixture
def keys(chat_settings):
    from handler.signing_keys import parse_signing_keys

    return parse_signing_keys(chat_settings.signing_keys_document)


@pytest.fixture
def connect():
    client = boto3.client(
        "connect", region_name="eu-west-2", aws_access_key_id="a", aws_secret_access_key="b"
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def service_for(chat_settings, client, **overrides):
    return StartChatService(chat_settings._replace(**overrides), client, clock=lambda: NOW)


def expect_start(stubber, contact_id, **fields):
    params = {
        "InstanceId": INSTANCE_ID,
        "ContactFlowId": CONTACT_FLOW_ID,
        "ParticipantDetails": {"DisplayName": fields.pop("display_name", "Ada")},
        "Attributes": fields.pop("attributes", {"customerName": "Ada"}),
        "ChatDurationInMinutes": 1500,
        **fields,
    }
    result = {"ContactId": contact_id, "ParticipantId": "p", "ParticipantToken": "t"}
    stubber.add_response("start_chat_contact", result, params)


def post(service, body, authorization=None):
    headers = {"Authorization": authorization} if authorization else None
    response = service.handle(rest_event(json.dumps(body), extra_headers=headers), "req")
    return response["statusCode"], json.loads(response["body"])


def persistent(kind, source):
    return {
        "ParticipantDetails": {"DisplayName": "Ada"},
        "PersistentChat": {"RehydrationType": kind, "SourceContactId": source},
    }


def customer_jwt(key=b"", **claims):
    payload = {"iat": NOW, "exp": NOW + 300, "sub": "customer-42", **claims}
    return jwt.encode(payload, key, algorithm="HS256")


# ---- resume tokens ----


def test_mallory_with_alices_contact_id_gets_403_and_connect_is_not_called(chat_settings, connect):
    client, _ = connect
    status, body = post(
        service_for(chat_settings, client), persistent("ENTIRE_PAST_SESSION", ALICE_FIRST)
    )
    assert status == 403
    assert body == {
        "error": {
            **PERSISTENT_403,
            "message": PERSISTENT_403["message"].format("not a resume token"),
        }
    }


@pytest.mark.parametrize(
    ("make_token", "reason"),
    [
        (
            lambda k: issue_resume_token(k.current, ALICE_FIRST, ALICE_SECOND, NOW + 60),
            "bad signature, or another customer's token",
        ),
        (
            lambda k: issue_resume_token(k.resume_token_keys()[0], ALICE_FIRST, ALICE_SECOND, NOW),
            "expired",
        ),
        (
            lambda k: (
                issue_resume_token(k.resume_token_keys()[0], ALICE_FIRST, ALICE_SECOND, NOW + 60)[
                    :-2
                ]
                + "AA"
            ),
            "bad signature, or another customer's token",
        ),
    ],
    ids=["forged-with-the-jwt-key", "expired", "tampered"],
)
def test_forged_expired_or_tampered_tokens_get_403(
    chat_settings, connect, keys, make_token, reason
):
    client, _ = connect
    body = persistent("FROM_SEGMENT", make_token(keys))
    status, answer = post(service_for(chat_settings, client), body)
    assert (status, answer) == (
        403,
        {"error": {**PERSISTENT_403, "message": PERSISTENT_403["message"].format(reason)}},
    )


def test_a_series_of_three_chats_each_continues_the_whole_session(chat_settings, connect, keys):
    """Chat 3 used to fail: ENTIRE_PAST_SESSION got the latest id, and needs the first."""
    client, stubber = connect
    service = service_for(chat_settings, client)
    expect_start(stubber, ALICE_FIRST)
    _, first = post(service, {"ParticipantDetails": {"DisplayName": "Ada"}})
    token = first["data"]["resumeToken"]
    for contact in (ALICE_SECOND, NEW_CONTACT):
        expect_start(
            stubber,
            contact,
            PersistentChat={
                "RehydrationType": "ENTIRE_PAST_SESSION",
                "SourceContactId": ALICE_FIRST,
            },
        )
        status, answer = post(service, persistent("ENTIRE_PAST_SESSION", token))
        assert status == 200
        token = answer["data"]["resumeToken"]
        grant = read_resume_token(keys.resume_token_keys(), token, NOW)
        assert grant == (ALICE_FIRST, contact, NOW + THIRTY_DAYS, False)


def test_from_segment_continues_from_the_latest_contact(chat_settings, connect, keys):
    client, stubber = connect
    token = issue_resume_token(keys.resume_token_keys()[0], ALICE_FIRST, ALICE_SECOND, NOW + 60)
    expect_start(
        stubber,
        NEW_CONTACT,
        PersistentChat={"RehydrationType": "FROM_SEGMENT", "SourceContactId": ALICE_SECOND},
    )
    status, _ = post(service_for(chat_settings, client), persistent("FROM_SEGMENT", token))
    assert status == 200


def test_the_resume_token_lasts_resume_token_days(chat_settings, connect, keys):
    client, stubber = connect
    expect_start(stubber, ALICE_FIRST)
    _, body = post(
        service_for(chat_settings, client, resume_token_days=2),
        {"ParticipantDetails": {"DisplayName": "Ada"}},
    )
    grant = read_resume_token(keys.resume_token_keys(), body["data"]["resumeToken"], NOW)
    assert grant.expires_at == NOW + 2 * 86_400


# ---- customer JWTs ----


def test_a_signed_start_sends_sub_name_and_signed_attributes(chat_settings, connect, keys):
    client, stubber = connect
    signed = customer_jwt(
        keys.current, name="Ada Lovelace", attributes={"tier": "gold", "topic": "signed"}
    )
    expect_start(
        stubber,
        NEW_CONTACT,
        display_name="Ada Lovelace",
        # "tier" is not in allowedAttributes: the operator signed it. Signed values win.
        attributes={"topic": "signed", "tier": "gold", "customerName": "Ada Lovelace"},
        CustomerId="customer-42",
    )
    body = {"ParticipantDetails": {"DisplayName": "Form name"}, "Attributes": {"topic": "form"}}
    status, answer = post(service_for(chat_settings, client), body, f"Bearer {signed}")
    assert status == 200
    # The customer's token is bound to the sub: it needs the same customer to continue.
    tokens = keys.resume_token_keys()
    assert read_resume_token(
        tokens, answer["data"]["resumeToken"], NOW, "customer-42"
    ).customer_bound
    with pytest.raises(ValueError, match="no customer token"):
        read_resume_token(tokens, answer["data"]["resumeToken"], NOW)


def test_a_customers_token_works_only_with_a_jwt_for_the_same_sub(chat_settings, connect, keys):
    client, stubber = connect
    service = service_for(chat_settings, client)
    token = issue_resume_token(
        keys.resume_token_keys()[0], ALICE_FIRST, ALICE_SECOND, NOW + 60, "customer-42"
    )
    body = persistent("FROM_SEGMENT", token)
    assert post(service, body)[0] == 403
    assert post(service, body, f"Bearer {customer_jwt(keys.current, sub='customer-43')}")[0] == 403
    expect_start(
        stubber,
        NEW_CONTACT,
        PersistentChat={"RehydrationType": "FROM_SEGMENT", "SourceContactId": ALICE_SECOND},
        CustomerId="customer-42",
    )
    assert post(service, body, f"Bearer {customer_jwt(keys.current)}")[0] == 200


def test_the_backend_may_name_the_contact_to_continue_and_a_related_contact(
    chat_settings, connect, keys
):
    client, stubber = connect
    service = service_for(chat_settings, client)
    claims = {"rehydrationType": "ENTIRE_PAST_SESSION", "sourceContactId": ALICE_FIRST}
    expect_start(
        stubber,
        NEW_CONTACT,
        PersistentChat={"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": ALICE_FIRST},
        CustomerId="customer-42",
    )
    hello = {"ParticipantDetails": {"DisplayName": "Ada"}}
    assert post(service, hello, f"Bearer {customer_jwt(keys.current, **claims)}")[0] == 200
    expect_start(stubber, NEW_CONTACT, RelatedContactId=ALICE_SECOND, CustomerId="customer-42")
    signed = customer_jwt(keys.current, relatedContactId=ALICE_SECOND)
    assert post(service, hello, f"Bearer {signed}")[0] == 200


def test_the_previous_key_still_verifies(chat_settings, connect):
    client, stubber = connect
    expect_start(stubber, NEW_CONTACT, CustomerId="customer-42")
    status, _ = post(
        service_for(chat_settings, client),
        {"ParticipantDetails": {"DisplayName": "Ada"}},
        f"Bearer {customer_jwt(PREVIOUS_KEY)}",
    )
    assert status == 200


def _hostile_tokens(key):
    none_alg = jwt.encode({"iat": NOW, "exp": NOW + 60, "sub": "x"}, None, algorithm="none")
    return {
        "wrong-key": customer_jwt(b"k" * 32),
        "alg-none": none_alg,
        "hs512": jwt.encode({"iat": NOW, "exp": NOW + 60, "sub": "x"}, key, algorithm="HS512"),
        "expired": customer_jwt(key, iat=NOW - 400, exp=NOW - 60),
        "issued-in-the-future": customer_jwt(key, iat=NOW + 120, exp=NOW + 300),
        "lives-too-long": customer_jwt(key, exp=NOW + 601),
        "no-iat": jwt.encode({"exp": NOW + 60, "sub": "x"}, key, algorithm="HS256"),
        "no-exp": jwt.encode({"iat": NOW, "sub": "x"}, key, algorithm="HS256"),
        "no-sub": jwt.encode({"iat": NOW, "exp": NOW + 60}, key, algorithm="HS256"),
        "sub-too-long": customer_jwt(key, sub="s" * 129),
        "attributes-not-strings": customer_jwt(key, attributes={"tier": 1}),
        "bad-attribute-key": customer_jwt(key, attributes={"a b": "x"}),
        "half-a-persistent-claim": customer_jwt(key, rehydrationType="FROM_SEGMENT"),
        "malformed": "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
        "with-an-audience": customer_jwt(key, aud="someone-else"),
    }


# The HS512 case signs with our 32-byte key, which PyJWT warns is short for SHA-512.
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("case", sorted(_hostile_tokens(b"x" * 32).keys()))
def test_hostile_customer_tokens_get_401_and_connect_is_not_called(
    chat_settings, connect, keys, case
):
    client, _ = connect
    token = _hostile_tokens(keys.current)[case]
    status, body = post(
        service_for(chat_settings, client),
        {"ParticipantDetails": {"DisplayName": "A"}},
        f"Bearer {token}",
    )
    assert (status, body) == (401, {"error": INVALID_401})


def test_require_customer_token_refuses_unsigned_starts(chat_settings, connect, keys):
    client, stubber = connect
    service = service_for(chat_settings, client, require_customer_token=True)
    status, body = post(service, {"ParticipantDetails": {"DisplayName": "Ada"}}, "Bearer not-a-jwt")
    assert (status, body["error"]["code"]) == (401, "INVALID_CUSTOMER_TOKEN")
    assert body["error"]["message"] == (
        "Authorization: this site starts chats for signed-in customers only; send "
        "'Authorization: Bearer <jwt>' signed by the site's backend"
    )
    expect_start(stubber, NEW_CONTACT, CustomerId="customer-42")
    signed = f"Bearer {customer_jwt(keys.current)}"
    assert post(service, {"ParticipantDetails": {"DisplayName": "Ada"}}, signed)[0] == 200


def test_a_rotation_outside_the_cache_is_picked_up_by_a_refresh(chat_settings, connect):
    client, stubber = connect
    rotated = SigningKeys(b"n" * 32, b"c" * 32)

    class RotatingKeys(StaticKeys):
        def refresh(self):
            return rotated

    service = StartChatService(
        chat_settings, client, keys=RotatingKeys(SigningKeys(b"c" * 32)), clock=lambda: NOW
    )
    expect_start(stubber, NEW_CONTACT, CustomerId="customer-42")
    status, _ = post(
        service, {"ParticipantDetails": {"DisplayName": "Ada"}}, f"Bearer {customer_jwt(b'n' * 32)}"
    )
    assert status == 200


def test_preflight_allows_the_authorization_header(chat_settings, connect):
    client, _ = connect
    event = rest_event(None, method="OPTIONS", content_type=None)
    response = service_for(chat_settings, client).handle(event, "req")
    assert response["headers"]["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert response["headers"]["Access-Control-Allow-Headers"] == (
        "Content-Type, Authorization, X-Amz-Date, X-Amz-Security-Token, X-Api-Key, x-aws-waf-token"
    )
