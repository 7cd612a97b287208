"""The presigned S3 PUT that StartAttachmentUpload hands out, checked the way S3 checks it.

Connect signs the upload URL with the attachment's Content-Type and size, so a PUT whose
signed headers differ gets 403 SignatureDoesNotMatch. Integrity headers, when a client sends
them, are verified against the bytes received: `Content-MD5` (base64 MD5),
`x-amz-checksum-crc32 | -sha1 | -sha256` (base64) give 400 BadDigest on a mismatch, and
`x-amz-content-sha256` (hex, unless UNSIGNED-PAYLOAD) gives 400 XAmzContentSHA256Mismatch.
`x-amz-checksum-crc32c` / `-crc64nvme` are not verified (no standard-library CRC for them).
Errors are S3's XML `<Error><Code>...</Code><Message>...</Message></Error>`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
import zlib
from collections.abc import Callable, Mapping

from aiohttp import web

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _crc32(data: bytes) -> bytes:
    return zlib.crc32(data).to_bytes(4, "big")


def _digest(name: str) -> Callable[[bytes], bytes]:
    return lambda data: hashlib.new(name, data).digest()


# Header -> binary digest of the body, compared as base64 (how S3 carries them).
BASE64_DIGESTS: dict[str, Callable[[bytes], bytes]] = {
    "Content-MD5": _digest("md5"),
    "x-amz-checksum-crc32": _crc32,
    "x-amz-checksum-sha1": _digest("sha1"),
    "x-amz-checksum-sha256": _digest("sha256"),
}


def s3_error(status: int, code: str, message: str) -> web.Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
    )
    return web.Response(status=status, text=body, content_type="application/xml")


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def signed_headers_refusal(
    headers: Mapping[str, str], content_type: str, size: int
) -> web.Response | None:
    """403 when the PUT's Content-Type or Content-Length is not what the URL was signed for
    (S3 wants a Content-Length on every PUT: 411 without one)."""
    if _media_type(headers.get("Content-Type", "")) != _media_type(content_type):
        return s3_error(
            403,
            "SignatureDoesNotMatch",
            f"The upload URL is signed for Content-Type {content_type}",
        )
    declared = headers.get("Content-Length")
    if declared is None:
        return s3_error(411, "MissingContentLength", "You must provide the Content-Length header")
    if declared.strip() != str(size):
        return s3_error(
            403,
            "SignatureDoesNotMatch",
            f"The upload URL is signed for Content-Length {size}",
        )
    return None


def integrity_refusal(headers: Mapping[str, str], data: bytes) -> web.Response | None:
    """400 when an integrity header the client sent does not match the bytes received."""
    for header, digest in BASE64_DIGESTS.items():
        claimed = headers.get(header)
        if claimed is None:
            continue
        try:
            expected = base64.b64decode(claimed, validate=True)
        except (binascii.Error, ValueError):
            return s3_error(400, "InvalidDigest", f"The {header} you specified was invalid")
        if expected != digest(data):
            return s3_error(
                400, "BadDigest", f"The {header} you specified did not match what was received"
            )
    content_sha = headers.get("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
    unsigned = content_sha.startswith(("UNSIGNED-PAYLOAD", "STREAMING-"))
    if not unsigned and content_sha.lower() != hashlib.sha256(data).hexdigest():
        return s3_error(
            400,
            "XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed",
        )
    return None


def etag(data: bytes) -> str:
    return f'"{hashlib.md5(data).hexdigest()}"'  # S3's ETag of a single-part PUT
