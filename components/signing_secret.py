"""The stack's HMAC keys in Secrets Manager: what the integrator's backend signs customer JWTs
with, and what the start-chat function derives its resume-token key from.

The value is one JSON document, {"current": <base64>, "previous": <base64>} (the format
handler/signing_keys.py reads). Pulumi writes it once; a rotation is done outside Pulumi
(docs/embedding.md), and `ignore_changes` keeps the next `pulumi up` from reverting it.
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

KEY_BYTES = 32


def key_document(current_base64: str, previous_base64: str) -> str:
    return json.dumps({"current": current_base64, "previous": previous_base64})


class SigningSecret(pulumi.ComponentResource):
    arn: pulumi.Output[str]

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("connect-chat:index:SigningSecret", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # The provider keeps `base64` as a secret output: state holds it encrypted only.
        current = random.RandomBytes(f"{name}-current", length=KEY_BYTES, opts=child)
        previous = random.RandomBytes(f"{name}-previous", length=KEY_BYTES, opts=child)
        secret = aws.secretsmanager.Secret(
            f"{name}-secret",
            name_prefix=f"connect-chat-{pulumi.get_stack()}-signing-",
            description=(
                "connect-chat: HMAC keys {current, previous}. Website backends sign customer "
                "JWTs (HS256) with current; the start-chat function verifies with both."
            ),
            opts=child,
        )
        version = aws.secretsmanager.SecretVersion(
            f"{name}-value",
            secret_id=secret.id,
            secret_string=pulumi.Output.secret(
                pulumi.Output.all(current.base64, previous.base64).apply(
                    lambda keys: key_document(keys[0], keys[1])
                )
            ),
            # A rotation done with the AWS CLI or console must survive the next `pulumi up`.
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["secretString"]),
        )
        # The version's own ARN output (the secret's ARN): whoever reads it waits for a value.
        self.arn = version.arn
        self.register_outputs({"arn": self.arn})
