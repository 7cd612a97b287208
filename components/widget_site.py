"""The widget site: a private S3 bucket served only through CloudFront."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pulumi
import pulumi_aws as aws

from .config import CustomDomain
from .content_security_policy import chat_page_csp
from .policy_documents import site_bucket_policy
from .site_asset_retention import (
    ASSETS_PREFIX,
    LIST_MAX_KEYS,
    RETIRED_TAG,
    RETIRED_TAG_VALUE,
    is_hashed_asset,
    lifecycle_rules,
    retired_asset_keys,
)
from .site_files import NO_CACHE, cache_control, content_type, site_files

# AWS-managed cache policies (fixed ids in every account).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
HSTS_MAX_AGE_SECONDS = 63_072_000
ORIGIN_ID = "site-bucket"
PREBUILT_PAGE = "/prebuilt.html"
ORIGIN_CONNECTION_ATTEMPTS = 3
ORIGIN_CONNECTION_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class WidgetSiteArgs:
    dist_dir: Path
    api_origin: pulumi.Input[str]
    region: str
    attachments_enabled: bool
    frame_ancestors: pulumi.Input[Sequence[str]]
    widget_config: pulumi.Input[dict[str, Any]]
    price_class: str
    custom_domain: CustomDomain | None
    retired_asset_days: int


class WidgetSite(pulumi.ComponentResource):
    """Uploads site/dist and config.json; serves them over HTTPS with strict headers."""

    bucket_name: pulumi.Output[str]
    distribution_arn: pulumi.Output[str]
    domain_name: pulumi.Output[str]
    origin: pulumi.Output[str]
    url: pulumi.Output[str]
    content_security_policy: pulumi.Output[str]
    prebuilt_content_security_policy: pulumi.Output[str]
    uploaded_keys: list[str]
    retired_asset_keys: pulumi.Output[list[str]]

    def __init__(
        self, name: str, args: WidgetSiteArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("connect-chat:index:WidgetSite", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # Checked before any resource: a missing build must not leave a half-made site.
        files = site_files(args.dist_dir)

        # Versioning keeps every old upload; without force_destroy `pulumi destroy` would stop
        # at BucketNotEmpty. The bucket holds only build output, which `make site` recreates.
        bucket = aws.s3.Bucket(f"{name}-bucket", force_destroy=True, opts=child)
        public_access = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        # S3 refuses concurrent changes to one bucket's settings with OperationAborted ("a
        # conflicting conditional operation is in progress"), so they are applied one by one.
        ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket.id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_access]),
        )
        encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket.id,
            rules=[
                # No bucket_key_enabled: S3 Bucket Keys apply to SSE-KMS only; with AES256 S3
                # reports it back as false and every preview would show a diff.
                {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}
            ],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[ownership]),
        )
        versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket.id,
            versioning_configuration={"status": "Enabled"},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[encryption]),
        )

        lifecycle = aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            rules=cast(
                "list[aws.s3.BucketLifecycleConfigurationRuleArgsDict]",
                lifecycle_rules(args.retired_asset_days),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[versioning]),
        )

        access_control = aws.cloudfront.OriginAccessControl(
            f"{name}-oac",
            description="connect-chat widget site: CloudFront reads the private bucket",
            origin_access_control_origin_type="s3",
            signing_behavior="always",
            signing_protocol="sigv4",
            opts=child,
        )
        api = pulumi.Output.from_input(args.api_origin)
        ancestors = pulumi.Output.from_input(args.frame_ancestors)
        self.content_security_policy = pulumi.Output.all(api, ancestors).apply(
            lambda values: _csp(args, values[0], tuple(values[1]), False)
        )
        self.prebuilt_content_security_policy = pulumi.Output.all(api, ancestors).apply(
            lambda values: _csp(args, values[0], tuple(values[1]), True)
        )
        headers = aws.cloudfront.ResponseHeadersPolicy(
            f"{name}-headers",
            comment="connect-chat widget: HSTS, nosniff, referrer policy, CSP for Connect chat",
            security_headers_config=_security_headers(self.content_security_policy),
            opts=child,
        )
        # AWS's prebuilt bundle injects <style> elements (styled-components); only its page gets
        # the policy that allows them, so every other page keeps style-src 'self'.
        prebuilt_headers = aws.cloudfront.ResponseHeadersPolicy(
            f"{name}-prebuilt-headers",
            comment="connect-chat prebuilt.html: the site's headers, CSP with inline styles",
            security_headers_config=_security_headers(self.prebuilt_content_security_policy),
            opts=child,
        )

        # CloudFront takes the first ordered behaviour that matches, so /prebuilt.html must come
        # before *.html.
        no_cache_behaviours: list[aws.cloudfront.DistributionOrderedCacheBehaviorArgsDict] = [
            {
                "path_pattern": pattern,
                "target_origin_id": ORIGIN_ID,
                "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": ["GET", "HEAD"],
                "cached_methods": ["GET", "HEAD"],
                "compress": True,
                "cache_policy_id": CACHING_DISABLED,
                "response_headers_policy_id": policy.id,
            }
            for pattern, policy in (
                (PREBUILT_PAGE, prebuilt_headers),
                ("/config.json", headers),
                ("*.html", headers),
            )
        ]
        if args.custom_domain is None:
            # The default *.cloudfront.net certificate cannot enforce a minimum TLS version.
            viewer_certificate: aws.cloudfront.DistributionViewerCertificateArgsDict = {
                "cloudfront_default_certificate": True
            }
            aliases: list[str] | None = None
        else:
            viewer_certificate = {
                "acm_certificate_arn": args.custom_domain.certificate_arn,
                "ssl_support_method": "sni-only",
                "minimum_protocol_version": "TLSv1.2_2021",
            }
            aliases = [args.custom_domain.hostname]
        distribution = aws.cloudfront.Distribution(
            f"{name}-cdn",
            enabled=True,
            comment="connect-chat widget site",
            default_root_object="index.html",
            http_version="http2and3",
            is_ipv6_enabled=True,
            price_class=args.price_class,
            aliases=aliases,
            origins=[
                {
                    "origin_id": ORIGIN_ID,
                    "domain_name": bucket.bucket_regional_domain_name,
                    "origin_access_control_id": access_control.id,
                    # CloudFront's defaults, stated: left out, the provider shows a diff on
                    # every preview (pulumi-aws#2095).
                    "connection_attempts": ORIGIN_CONNECTION_ATTEMPTS,
                    "connection_timeout": ORIGIN_CONNECTION_TIMEOUT_SECONDS,
                }
            ],
            default_cache_behavior={
                "target_origin_id": ORIGIN_ID,
                "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": ["GET", "HEAD"],
                "cached_methods": ["GET", "HEAD"],
                "compress": True,
                "cache_policy_id": CACHING_OPTIMIZED,
                "response_headers_policy_id": headers.id,
            },
            ordered_cache_behaviors=no_cache_behaviours,
            restrictions={"geo_restriction": {"restriction_type": "none"}},
            viewer_certificate=viewer_certificate,
            opts=child,
        )
        aws.s3.BucketPolicy(
            f"{name}-bucket-policy",
            bucket=bucket.id,
            policy=pulumi.Output.all(bucket.arn, distribution.arn).apply(
                lambda arns: json.dumps(site_bucket_policy(arns[0], arns[1]))
            ),
            # S3 rejects a policy while Block Public Access or another bucket setting is
            # still being applied.
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[public_access, versioning, lifecycle]
            ),
        )

        self.uploaded_keys = []
        for site_file in files:
            aws.s3.BucketObjectv2(
                f"{name}-file-{site_file.key}",
                bucket=bucket.id,
                key=site_file.key,
                source=pulumi.FileAsset(str(site_file.path)),
                content_type=site_file.content_type,
                cache_control=site_file.cache_control,
                # A hashed asset a later build drops stays for open pages; the lifecycle
                # rule removes it (components/site_asset_retention.py).
                opts=pulumi.ResourceOptions(
                    parent=self, retain_on_delete=is_hashed_asset(site_file.key)
                ),
            )
            self.uploaded_keys.append(site_file.key)
        self._retire_previous_assets(name, bucket, lifecycle, self.uploaded_keys)
        aws.s3.BucketObjectv2(
            f"{name}-file-config.json",
            bucket=bucket.id,
            key="config.json",
            content=pulumi.Output.json_dumps(args.widget_config),
            content_type="application/json",
            cache_control=NO_CACHE,
            opts=child,
        )
        self.uploaded_keys.append("config.json")

        self.bucket_name = bucket.id
        self.distribution_arn = distribution.arn
        self.domain_name = distribution.domain_name
        if args.custom_domain is None:
            self.origin = pulumi.Output.concat("https://", distribution.domain_name)
        else:
            self.origin = pulumi.Output.from_input(f"https://{args.custom_domain.hostname}")
        self.url = pulumi.Output.concat(self.origin, "/")
        self.register_outputs({"url": self.url, "distribution_arn": self.distribution_arn})

    def _retire_previous_assets(
        self,
        name: str,
        bucket: aws.s3.Bucket,
        lifecycle: aws.s3.BucketLifecycleConfiguration,
        current_keys: list[str],
    ) -> None:
        """Tags the assets earlier builds left behind, so the lifecycle rule can expire them.

        The set of keys is only known from the bucket, hence resources declared in an apply:
        a new stack's first preview shows none (its bucket does not exist yet), and there is
        nothing to retire then.
        """
        listing = aws.s3.get_objects_output(
            bucket=bucket.id,
            prefix=ASSETS_PREFIX,
            max_keys=LIST_MAX_KEYS,
            opts=pulumi.InvokeOutputOptions(parent=self),
        )

        def declare(values: list[Any]) -> list[str]:
            bucket_name, listed = values
            retired = retired_asset_keys(listed or [], current_keys)
            for key in retired:
                # Copying the object onto itself writes a new version, tagged, whose age
                # starts now. S3 refuses a copy onto itself that keeps the metadata, so the
                # headers are restated, the same rules as at upload.
                aws.s3.ObjectCopy(
                    f"{name}-retired-{key}",
                    bucket=bucket_name,
                    key=key,
                    source=f"{bucket_name}/{key}",
                    metadata_directive="REPLACE",
                    content_type=content_type(key),
                    cache_control=cache_control(key),
                    tagging_directive="REPLACE",
                    tags={RETIRED_TAG: RETIRED_TAG_VALUE},
                    # Forgetting it later (expired, or the key is current again after a
                    # rollback) must not delete the object.
                    opts=pulumi.ResourceOptions(
                        parent=self, retain_on_delete=True, depends_on=[lifecycle]
                    ),
                )
            return retired

        self.retired_asset_keys = pulumi.Output.all(bucket.id, listing.keys).apply(declare)


def _csp(
    args: WidgetSiteArgs, api: str, frame_ancestors: tuple[str, ...], allow_inline_styles: bool
) -> str:
    return chat_page_csp(
        api=api,
        region=args.region,
        attachments_enabled=args.attachments_enabled,
        frame_ancestors=frame_ancestors,
        allow_inline_styles=allow_inline_styles,
    )


def _security_headers(
    csp: pulumi.Output[str],
) -> aws.cloudfront.ResponseHeadersPolicySecurityHeadersConfigArgsDict:
    return {
        "content_security_policy": {"content_security_policy": csp, "override": True},
        "content_type_options": {"override": True},
        "referrer_policy": {
            "referrer_policy": "strict-origin-when-cross-origin",
            "override": True,
        },
        "strict_transport_security": {
            "access_control_max_age_sec": HSTS_MAX_AGE_SECONDS,
            "include_subdomains": True,
            "override": True,
        },
        # No frame_options: DENY/SAMEORIGIN would stop customers' pages from framing
        # the chat; frame-ancestors in the CSP does that job with an allowlist.
    }
