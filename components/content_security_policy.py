"""The chat pages' Content-Security-Policy: exactly the hosts a Connect chat needs.

One pure function builds every policy the site serves: CloudFront's response headers policies
(components/widget_site.py), prebuilt.html's (the only relaxation, a parameter) and local
mode's (local_mode/site_server.py, which adds only its loopback emulator origins). So the
browser tests run against the policy CloudFront serves, and no copy can drift.

This module must import neither Pulumi nor handler code: local mode imports it without a Pulumi
engine, and the tests check that it stays so.

The page runs inside an iframe on the customer's own site, so framing is limited with
`frame-ancestors` (X-Frame-Options cannot list several origins and DENY would block the widget).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# CloudFront rejects a response headers policy whose CSP is longer than this.
CLOUDFRONT_CSP_MAX_LENGTH = 1783

CHAT_IMAGE_SOURCES = ("'self'", "data:", "blob:", "https:")
# Local mode's emulator: plain http and ws on the loopback address, nothing else. Checked, so
# the parameter can never widen a deployed policy to another host.
_EMULATOR_ORIGIN = re.compile(r"(?:http|ws)://127\.0\.0\.1:[1-9][0-9]{0,4}")
# In us-east-1, AWS services presign S3 URLs on the legacy global endpoint by default
# (`<bucket>.s3.amazonaws.com`); every other region uses `<bucket>.s3.<region>.amazonaws.com`.
LEGACY_GLOBAL_S3_REGION = "us-east-1"


def participant_origin(region: str) -> str:
    return f"https://participant.connect.{region}.amazonaws.com"


def websocket_origin(region: str) -> str:
    return f"wss://*.transport.connect.{region}.amazonaws.com"


def attachment_origins(region: str) -> tuple[str, ...]:
    """Hosts of the pre-signed S3 URLs Connect hands out for attachment uploads and downloads.

    StartAttachmentUpload and GetAttachment answer with virtual-hosted S3 URLs on the instance's
    attachment bucket. In us-east-1 both the legacy global host and the regional one are
    allowed: which one a presigner uses there is its default, not a documented contract.
    """
    regional = f"https://*.s3.{region}.amazonaws.com"
    if region == LEGACY_GLOBAL_S3_REGION:
        return ("https://*.s3.amazonaws.com", regional)
    return (regional,)


def api_origin(rest_api_id: str, region: str) -> str:
    return f"https://{rest_api_id}.execute-api.{region}.amazonaws.com"


def chat_page_csp(
    *,
    api: str,
    region: str,
    attachments_enabled: bool,
    frame_ancestors: Sequence[str],
    allow_inline_styles: bool = False,
    emulator_origins: Sequence[str] = (),
) -> str:
    """The policy of every chat page.

    `allow_inline_styles` is for prebuilt.html only: AWS's bundle uses styled-components, which
    injects <style> elements that `style-src 'self'` blocks. `emulator_origins` is for local
    mode only: its emulator's http:// and ws:// loopback origins, added to what is deployed.
    """
    for origin in emulator_origins:
        if not _EMULATOR_ORIGIN.fullmatch(origin):
            raise ValueError(
                f"emulator origin {origin!r}: must be http:// or ws://127.0.0.1:<port>; "
                "only local mode's emulator may be added to the deployed policy"
            )
    connect_sources = ["'self'", api, participant_origin(region), websocket_origin(region)]
    if attachments_enabled:
        connect_sources.extend(attachment_origins(region))
    connect_sources.extend(emulator_origins)
    # Interactive messages show images from any https host the contact-flow author picks
    # (attachment previews on the S3 hosts are https too); images cannot run script. Local
    # mode's emulator serves attachments over plain http.
    image_sources = [*CHAT_IMAGE_SOURCES]
    image_sources.extend(o for o in emulator_origins if o.startswith("http://"))
    style_sources = ["'self'", "'unsafe-inline'"] if allow_inline_styles else ["'self'"]
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        f"style-src {' '.join(style_sources)}",
        f"img-src {' '.join(image_sources)}",
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
