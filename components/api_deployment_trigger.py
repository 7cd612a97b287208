"""The redeployment trigger of the REST API.

An API Gateway Deployment is an immutable snapshot: changing a method, integration or gateway
response does nothing until a new Deployment exists, and Pulumi creates one only when an input
changes. Hashing everything the snapshot contains into `triggers` makes that happen exactly when
needed (pulumi/pulumi#5849, pulumi-aws#471).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def redeployment_hash(snapshot: dict[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
