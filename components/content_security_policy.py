"""The chat pages' Content-Security-Policy: exactly the hosts a Connect chat needs.

The page runs inside an iframe on the customer's own site, so framing is limited with
`frame-ancestors` (X-Frame-Options cannot list several origins and DENY would block the widget).
One function builds both policies the site serves, so the prebuilt page's policy cannot drift
from the strict one in anything but its style-src.
"""

from __future__ import annotations

from collections.abc import Sequence

# CloudFront rejects a response headers policy whose CSP is longer than this.
CLOUDFRONT_CSP_MAX_LENGTH = 1783

CHAT_IMAGE_SOURCES = ("'self'", "data:", "blob:", "https:")


def participant_origin(region: str) -> str:
    return f"https://participant.connect.{region}.amazonaws.com"


def websocket_origin(region: str) -> str:
    return f"wss://*.transport.connect.{region}.amazonaws.com"


def attachment_origin(region: str) -> str:
    """Connect hands out pre-signed URLs on its regional S3 buckets for attachment transfers."""
    return f"https://*.s3.{region}.amazonaws.com"


def api_origin(rest_api_id: str, region: str) -> str:
    return f"https://{rest_api_id}.execute-api.{region}.amazonaws.com"


def chat_page_csp(
    *,
    api: str,
    region: str,
    attachments_enabled: bool,
    frame_ancestors: Sequence[str],
    allow_inline_styles: bool = False,
) -> str:
    """`allow_inline_styles` is for prebuilt.html only: AWS's bundle uses styled-components,
    which injects <style> elements that `style-src 'self'` blocks."""
    connect_sources = ["'self'", api, participant_origin(region), websocket_origin(region)]
    if attachments_enabled:
        connect_sources.append(attachment_origin(region))
    style_sources = ["'self'", "'unsafe-inline'"] if allow_inline_styles else ["'self'"]
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        f"style-src {' '.join(style_sources)}",
        # Interactive messages show images from any https host the contact-flow author picks
        # (attachment previews on the regional S3 host are https too); images cannot run script.
        f"img-src {' '.join(CHAT_IMAGE_SOURCES)}",
        f"connect-src {' '.join(connect_sources)}",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        " ".join(["frame-ancestors", "'self'", *frame_ancestors]),
    ]
    policy = "; ".join(directives)
    if len(policy) > CLOUDFRONT_CSP_MAX_LENGTH:
        raise ValueError(
            f"config connect-chat:allowedOrigins: the Content-Security-Policy would be "
            f"{len(policy)} characters, over CloudFront's limit of {CLOUDFRONT_CSP_MAX_LENGTH}; "
            "list fewer origins"
        )
    return policy
