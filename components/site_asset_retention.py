"""Keeps the previous builds' hashed assets readable for a while after a deploy, then drops them.

A page opened before a deploy loads lazy chunks (`assets/NAME-HASH.js`) that the new build no
longer has. Deleting them at deploy time broke such pages (403 from CloudFront), so:

1. asset objects are declared with `retain_on_delete`: a deploy that drops one leaves it in S3;
2. at each deploy the program lists `assets/` in the bucket; every key the current build does
   not have is copied onto itself with the tag `connect-chat-retired=true` and its upload
   headers (an `aws.s3.ObjectCopy`, also retained). The copy starts the object's age at its
   retirement, because S3 lifecycle counts days from when the current version was written;
3. a lifecycle rule expires only objects under `assets/` carrying that tag. Objects of the
   current build are uploaded without tags, so no expiring rule can ever match them; a key
   that comes back (a rollback) is uploaded again, untagged.

Noncurrent versions (every overwrite of a page or config.json, and each retirement copy) and
the delete markers left behind expire too, so nothing accumulates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

ASSETS_PREFIX = "assets/"
RETIRED_TAG = "connect-chat-retired"
RETIRED_TAG_VALUE = "true"
# Listing is one page; retired assets are bounded by builds x retention, far below this.
LIST_MAX_KEYS = 10_000


def is_hashed_asset(key: str) -> bool:
    return key.startswith(ASSETS_PREFIX)


def retired_asset_keys(listed: Iterable[str], current: Iterable[str]) -> list[str]:
    """Keys under assets/ in the bucket that the current build does not upload."""
    keep = set(current)
    return sorted({key for key in listed if is_hashed_asset(key) and key not in keep})


def lifecycle_rules(retired_asset_days: int) -> list[dict[str, Any]]:
    return [
        {
            "id": "expire-retired-assets",
            "status": "Enabled",
            # Both conditions: the prefix alone would expire the current build's assets too.
            "filter": {"and": {"prefix": ASSETS_PREFIX, "tags": {RETIRED_TAG: RETIRED_TAG_VALUE}}},
            "expiration": {"days": retired_asset_days},
        },
        {
            "id": "expire-noncurrent-versions",
            "status": "Enabled",
            "filter": {},
            # Touches only versions that are no longer current, and delete markers with no
            # version left behind them: never what CloudFront serves.
            "noncurrent_version_expiration": {"noncurrent_days": retired_asset_days},
            "expiration": {"expired_object_delete_marker": True},
            "abort_incomplete_multipart_upload": {"days_after_initiation": 1},
        },
    ]
