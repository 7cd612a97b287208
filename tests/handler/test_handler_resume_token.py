"""Resume tokens: what they bind, who can mint them, and hostile input to the parser."""

import base64
import hashlib
import hmac

import pytest
from handler_harness import CURRENT_KEY, HOSTILE_PROFILE, PREVIOUS_KEY
from hypothesis import given, settings
from hypothesis import strategies as st

from handler.resume_token import (
    MAX_TOKEN_CHARS,
    ResumeGrant,
    ResumeTokenError,
    issue_resume_token,
    read_resume_token,
)
from handler.signing_keys import SigningKeys

KEYS = SigningKeys(CURRENT_KEY, PREVIOUS_KEY)
RESUME_KEYS = KEYS.resume_token_keys()
NOW = 1_800_000_000
LATER = NOW + 3600
FIRST = "0a1b2c3d-0000-4000-8000-000000000001"
LATEST = "0a1b2c3d-0000-4000-8000-000000000003"


def issue(*, key=RESUME_KEYS[0], first=FIRST, latest=LATEST, expires=LATER, sub=None):
    return issue_resume_token(key, first, latest, expires, sub)


def test_a_token_binds_the_series_first_and_latest_contact_and_the_expiry():
    token = issue()
    assert read_resume_token(RESUME_KEYS, token, NOW) == ResumeGrant(FIRST, LATEST, LATER, False)
    # Two UUIDs, an expiry and a full HMAC-SHA256: short, and nothing in it is readable text.
    assert len(token) == 94 and FIRST not in token and "0a1b2c3d" not in token


def test_the_longest_token_fits_the_contract():
    token = issue(first="f" * 76, latest="l" * 76, sub="s" * 128)
    assert len(token) <= MAX_TOKEN_CHARS
    assert read_resume_token(RESUME_KEYS, token, NOW, "s" * 128).latest_contact_id == "l" * 76
    with pytest.raises(ResumeTokenError, match="too long"):
        issue(first="f" * 80, latest="l" * 80)


def test_the_resume_key_is_derived_and_differs_from_the_jwt_key():
    expected = hmac.new(CURRENT_KEY, b"connect-chat resume-token v1", hashlib.sha256).digest()
    assert RESUME_KEYS[0] == expected != CURRENT_KEY
    # Whoever holds the JWT signing key (the integrator's backend) cannot mint resume tokens.
    with pytest.raises(ResumeTokenError, match="bad signature"):
        read_resume_token(RESUME_KEYS, issue(key=CURRENT_KEY), NOW)


def test_a_token_from_before_a_rotation_still_verifies():
    old = issue(key=RESUME_KEYS[1])
    assert read_resume_token(RESUME_KEYS, old, NOW).initial_contact_id == FIRST
    with pytest.raises(ResumeTokenError, match="bad signature"):
        read_resume_token(RESUME_KEYS[:1], old, NOW)


def test_an_expired_token_is_refused():
    token = issue(expires=NOW)
    with pytest.raises(ResumeTokenError, match="expired"):
        read_resume_token(RESUME_KEYS, token, NOW)
    assert read_resume_token(RESUME_KEYS, token, NOW - 1).expires_at == NOW


def test_a_signed_in_customers_token_needs_the_same_sub():
    token = issue(sub="customer-42")
    assert read_resume_token(RESUME_KEYS, token, NOW, "customer-42").customer_bound is True
    assert "customer-42" not in base64.urlsafe_b64decode(token + "==").decode("latin-1")
    with pytest.raises(ResumeTokenError, match="no customer token"):
        read_resume_token(RESUME_KEYS, token, NOW)
    with pytest.raises(ResumeTokenError, match="another customer"):
        read_resume_token(RESUME_KEYS, token, NOW, "customer-43")


def test_an_anonymous_token_still_works_after_the_visitor_signs_in():
    grant = read_resume_token(RESUME_KEYS, issue(), NOW, "customer-42")
    assert grant == ResumeGrant(FIRST, LATEST, LATER, False)


def test_a_raw_contact_id_is_not_a_token():
    with pytest.raises(ResumeTokenError, match="not a resume token"):
        read_resume_token(RESUME_KEYS, FIRST, NOW)


@settings(settings.get_profile(HOSTILE_PROFILE))
@given(st.text(max_size=400))
def test_any_text_is_a_clean_refusal(text):
    try:
        read_resume_token(RESUME_KEYS, text, NOW)
    except ResumeTokenError:
        return
    pytest.fail(f"accepted {text!r}")


@settings(settings.get_profile(HOSTILE_PROFILE))
@given(
    st.sampled_from([issue(), issue(first="c-1", latest="c-2"), issue(sub="s")]),
    st.data(),
)
def test_every_tampered_token_is_refused(token, data):
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    index = data.draw(st.integers(0, len(raw) - 1))
    raw[index] ^= data.draw(st.integers(1, 255))
    tampered = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(ResumeTokenError):
        read_resume_token(RESUME_KEYS, tampered, NOW, "s")


@settings(settings.get_profile(HOSTILE_PROFILE))
@given(
    st.text(min_size=1, max_size=60).filter(lambda s: len(s.encode()) <= 60),
    st.text(min_size=1, max_size=60).filter(lambda s: len(s.encode()) <= 60),
    st.integers(NOW + 1, 2**32 - 1),
    st.none() | st.text(min_size=1, max_size=128),
)
def test_whatever_is_issued_reads_back_the_same(first, latest, expires, sub):
    token = issue(first=first, latest=latest, expires=expires, sub=sub)
    assert len(token) <= MAX_TOKEN_CHARS
    grant = read_resume_token(RESUME_KEYS, token, NOW, sub)
    assert grant == ResumeGrant(first, latest, expires, sub is not None)
