"""Which AWS-published Powertools layer the start-chat function uses, and where AWS says so.

Layer *numbers* differ per region and cannot be checked without an AWS account, so the stack
names a Powertools *version* and resolves the layer at deploy time from the public SSM
parameters Powertools publishes for every release, region, runtime and architecture.
"""

from __future__ import annotations

import re

# A Powertools layer is built for exactly one runtime and architecture, so the function's are
# defined here, next to the layer that must match them.
RUNTIME = "python3.13"
ARCHITECTURE = "arm64"
# Powertools publishes its Python layers from this account.
PUBLISHER_ACCOUNT = "017000801446"
LAYER_NAME = f"AWSLambdaPowertoolsPythonV3-{RUNTIME.replace('.', '')}-{ARCHITECTURE}"
PARAMETER_PREFIX = f"/aws/service/powertools/python/{ARCHITECTURE}/{RUNTIME}"

# Only exact v3 releases: the V3 layer family, and no `latest`, which would change the layer
# (and the code the handler runs on) on an unrelated `pulumi up`.
# Used with fullmatch (a trailing newline must not pass).
VERSION_PATTERN = re.compile(r"3\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
LAYER_ARN_PATTERN = re.compile(
    rf"arn:aws(-[a-z]+)*:lambda:(?P<region>[a-z]{{2}}(-[a-z]+)+-\d):{PUBLISHER_ACCOUNT}:"
    rf"layer:{LAYER_NAME}:[1-9]\d*"
)


def layer_parameter_name(version: str) -> str:
    """The public SSM parameter whose value is the layer ARN of `version` in the caller's region."""
    return f"{PARAMETER_PREFIX}/{version}"
