"""ConnectChat's settings, validated once into frozen objects: every rule lives here.

Every rule fails with an `ArgumentError` naming the setting (its schema name, which is also the
stack config key), the offending value and the rule, before any resource is declared, so a typo
never reaches AWS as a half-built stack.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .config_error import ArgumentError
from .content_security_policy import api_origin, chat_page_csp
from .powertools_layer import LAYER_ARN_PATTERN, LAYER_NAME, PUBLISHER_ACCOUNT, VERSION_PATTERN
from .widget_branding import BRANDING_KEYS, Branding, parse_branding, whole_number

T = TypeVar("T")


# Every pattern here is used with fullmatch: `$` would let a trailing newline through (a UUID
# with one lands in an IAM ARN; an origin with one never matches a browser's).
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")
_ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_-]{1,128}")
# An origin as browsers serialise it (RFC 6454), https only: the same rule as the handler's
# ALLOWED_ORIGINS; tests/vectors/origins.json keeps the two (and the widget) in agreement.
_HTTPS_ORIGIN = re.compile(
    r"https://"
    r"(?P<host>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)"
    r"(?::(?P<port>[0-9]+))?"
)
_HTTPS_DEFAULT_PORT = 443
_HOSTNAME = re.compile(
    r"(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?"
)
_COUNTRY = re.compile(r"[A-Z]{2}")
_ACM_ARN = re.compile(r"arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[0-9a-f-]{36}")
_STAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")

# CloudWatch Logs accepts only these retention periods; anything else fails at deploy time.
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
    2922, 3288, 3653,
)  # fmt: skip
# WAF evaluates rate-based rules only over these windows, with a floor of 10 requests.
WAF_RATE_WINDOWS = (60, 120, 300, 600)
WAF_MIN_RATE_LIMIT = 10
WAF_MAX_RATE_LIMIT = 2_000_000_000
PRE_CHAT_FIELD_TYPES = ("text", "email", "select")
PRICE_CLASSES = ("PriceClass_100", "PriceClass_200", "PriceClass_All")
# The chat page's locales (site/src/i18n/locales/<code>.json; tests/infra fails when they drift).
WIDGET_LANGUAGES = ("en", "es", "fr", "de", "pt-BR", "ja", "ar")
# The layer must carry the Powertools the handler is tested with: this equals the
# aws-lambda-powertools pin in handler/requirements.txt (tests/infra fails when they drift).
DEFAULT_POWERTOOLS_VERSION = "3.37.0"


@dataclass(frozen=True)
class PreChatField:
    attribute: str
    label: str
    type: str = "text"
    options: tuple[str, ...] = ()
    required: bool = False

    def as_widget_config(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "attribute": self.attribute,
            "label": self.label,
            "type": self.type,
            "required": self.required,
        }
        if self.options:
            entry["options"] = list(self.options)
        return entry


# How long after a chat ends the widget offers to continue it on the same device: the next
# person at a shared computer must not be offered (or shown the name of) an old chat.
PERSISTENT_CHAT_OFFER_MINUTES = 1440
PERSISTENT_CHAT_OFFER_MAX_MINUTES = 43200


@dataclass(frozen=True)
class WidgetSettings:
    title: str = "Chat with us"
    persistent_chat: bool = True
    pre_chat_fields: tuple[PreChatField, ...] = ()
    persistent_chat_offer_minutes: int = PERSISTENT_CHAT_OFFER_MINUTES
    # None: the visitor's browser language decides.
    language: str | None = None
    post_chat_survey: bool = False
    customer_formatting: bool = False
    branding: Branding = field(default_factory=Branding)

    @property
    def primary_color(self) -> str:
        return self.branding.primary_color

    def theme(self) -> dict[str, Any]:
        """config.json's `theme`."""
        return self.branding.as_theme(self.title)


@dataclass(frozen=True)
class CustomDomain:
    hostname: str
    certificate_arn: str


# ---- day-2 operations: monitoring, alarm thresholds, SnapStart regions (issue 9) ----------

# Lambda SnapStart is offered in every commercial region except these, for every runtime it
# supports, Python 3.12+ included. Source, checked 2026-12: "Supported Regions" in
# https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html
SNAPSTART_UNAVAILABLE_REGIONS = {
    "ap-east-2": "Asia Pacific (Taipei)",
    "ap-southeast-6": "Asia Pacific (New Zealand)",
}
# SNS accepts any address; this only catches what can never be one (no @, spaces, newline).
_EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_EMAIL_MAX_LENGTH = 254
# How long a deploy keeps the previous builds' hashed assets readable for pages still open.
DEFAULT_RETIRED_ASSET_DAYS = 30


@dataclass(frozen=True)
class AlarmThresholds:
    """Defaults sized for a chat that starts a few times a minute; see docs/operations.md."""

    api_5xx_percent: int = 5
    api_p99_latency_ms: int = 3000
    lambda_errors: int = 1
    lambda_throttles: int = 1
    connect_throttles: int = 5
    connect_configuration_errors: int = 1
    waf_blocked_requests: int = 500


@dataclass(frozen=True)
class MonitoringSettings:
    enabled: bool = True
    alarm_email: str | None = None
    thresholds: AlarmThresholds = field(default_factory=AlarmThresholds)


# key: (field of AlarmThresholds, lowest, highest)
ALARM_THRESHOLD_KEYS: dict[str, tuple[str, int, int]] = {
    "alarmApi5xxPercent": ("api_5xx_percent", 1, 100),
    # Above the function's 10 s timeout the integration has failed anyway (a 5XX).
    "alarmApiP99LatencyMs": ("api_p99_latency_ms", 100, 29_000),
    "alarmLambdaErrors": ("lambda_errors", 1, 100_000),
    "alarmLambdaThrottles": ("lambda_throttles", 1, 100_000),
    "alarmConnectThrottles": ("connect_throttles", 1, 100_000),
    "alarmConnectConfigurationErrors": ("connect_configuration_errors", 1, 100_000),
    "alarmWafBlockedRequests": ("waf_blocked_requests", 1, 10_000_000),
}


def _parse_monitoring(get: Callable[[str], object]) -> MonitoringSettings:
    raw_enabled = get("monitoring")
    enabled = True if raw_enabled is None else _bool("monitoring", raw_enabled)
    email = get("alarmEmail")
    if email is not None and (
        not isinstance(email, str) or len(email) > _EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(email)
    ):
        raise ArgumentError(
            "alarmEmail", email, "must be one e-mail address (name@example.com), or empty"
        )
    if email is not None and not enabled:
        raise ArgumentError("alarmEmail", email, "needs monitoring true: there is no alarm to send")
    values: dict[str, int] = {}
    for key, (name, low, high) in ALARM_THRESHOLD_KEYS.items():
        raw = get(key)
        if raw is not None:
            values[name] = _int(key, raw, low, high)
    return MonitoringSettings(enabled, email, AlarmThresholds(**values))


def _check_snap_start_region(snap_start: bool, region: str) -> None:
    if snap_start and region in SNAPSTART_UNAVAILABLE_REGIONS:
        raise ArgumentError(
            "snapStart",
            True,
            f"Lambda SnapStart is not offered in {region} "
            f"({SNAPSTART_UNAVAILABLE_REGIONS[region]}); set it to false "
            "(https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html, Supported Regions)",
        )


@dataclass(frozen=True)
class ConnectChatConfig:
    region: str
    instance_id: str
    contact_flow_id: str
    extra_contact_flow_ids: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    allowed_attributes: tuple[str, ...] = ()
    attachments_enabled: bool = False
    chat_duration_in_minutes: int = 1500
    resume_token_days: int = 30
    require_customer_token: bool = False
    widget: WidgetSettings = field(default_factory=WidgetSettings)
    stage_name: str = "prod"
    throttling_rate_limit: int = 5
    throttling_burst_limit: int = 8
    start_chat_rate_quota: int = 5
    start_chat_burst_quota: int = 8
    waf_rate_limit: int = 100
    waf_rate_window_seconds: int = 300
    waf_max_body_bytes: int = 4096
    waf_anonymous_ip_rule: bool = False
    waf_blocked_countries: tuple[str, ...] = ()
    log_retention_days: int = 30
    reserved_concurrency: int | None = None
    snap_start: bool = False
    create_api_gateway_account_role: bool = False
    powertools_version: str = DEFAULT_POWERTOOLS_VERSION
    powertools_layer_arn: str | None = None
    price_class: str = "PriceClass_100"
    custom_domain: CustomDomain | None = None
    monitoring: MonitoringSettings = field(default_factory=MonitoringSettings)
    retired_asset_days: int = DEFAULT_RETIRED_ASSET_DAYS

    @property
    def contact_flow_ids(self) -> tuple[str, ...]:
        """Every flow the function may start: the default first, then the extras."""
        return (self.contact_flow_id, *self.extra_contact_flow_ids)


# ---- typed value checks: each takes a value as ConnectChatArgs holds it ----------------------


def _bool(key: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise ArgumentError(key, value, "must be true or false")


def _int(key: str, value: object, low: int, high: int) -> int:
    value = whole_number(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ArgumentError(key, value, f"must be an integer between {low} and {high}")
    return value


def _text(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ArgumentError(key, value, "must be a string")
    return value


def _string_list(key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise ArgumentError(key, value, "must be a list of strings")
    if len(set(value)) != len(value):
        raise ArgumentError(key, list(value), "must not repeat an entry")
    return tuple(value)


def _check_uuid(key: str, value: object) -> str:
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        raise ArgumentError(
            key, value, "must be a lowercase UUID (8-4-4-4-12 hex digits) as shown in the console"
        )
    return value


def _check_origin(key: str, value: str) -> str:
    if "*" in value:
        raise ArgumentError(key, value, "wildcards are not allowed; list each https origin")
    if not value.startswith("https://"):
        raise ArgumentError(key, value, "must be an https:// origin (browsers frame only over TLS)")
    match = _HTTPS_ORIGIN.fullmatch(value)
    if match is None or len(match["host"]) > 253:
        raise ArgumentError(
            key,
            value,
            "must be an origin: https://host[:port] in lowercase ASCII, with no path, trailing "
            "slash, user, query or whitespace",
        )
    port = match["port"]
    if port is not None and (port.startswith("0") or not 1 <= int(port) <= 65535):
        raise ArgumentError(key, value, "the port must be 1 to 65535, without leading zeros")
    if port is not None and int(port) == _HTTPS_DEFAULT_PORT:
        raise ArgumentError(
            key, value, "without the default port 443 (browsers omit it, so it would never match)"
        )
    return value


def _check_csp_fits(region: str, origins: tuple[str, ...]) -> None:
    """Every origin lands in the CSP's frame-ancestors, which CloudFront caps in length."""
    # API Gateway ids are 10 characters; the attachment host and prebuilt.html's inline-style
    # allowance make the policy longest.
    longest_api = api_origin("x" * 10, region)
    try:
        chat_page_csp(
            api=longest_api,
            region=region,
            attachments_enabled=True,
            frame_ancestors=origins,
            allow_inline_styles=True,
        )
    except ValueError as error:
        raise ArgumentError("allowedOrigins", list(origins), str(error).split(": ", 1)[1]) from None


def _parse_pre_chat_field(
    key: str, index: int, raw: object, allowed_attributes: tuple[str, ...]
) -> PreChatField:
    where = f"{key}.preChatFields[{index}]"
    if not isinstance(raw, dict):
        raise ArgumentError(where, raw, "must be an object with attribute, label and type")
    unknown = set(raw) - {"attribute", "label", "type", "options", "required"}
    if unknown:
        raise ArgumentError(where, raw, f"unknown field(s) {sorted(unknown)}")
    attribute = raw.get("attribute")
    if not isinstance(attribute, str) or attribute not in allowed_attributes:
        raise ArgumentError(
            f"{where}.attribute",
            attribute,
            f"must be one of allowedAttributes {list(allowed_attributes)}",
        )
    label = raw.get("label", attribute)
    if not isinstance(label, str) or not label.strip():
        raise ArgumentError(f"{where}.label", label, "must be a non-empty string")
    field_type = raw.get("type", "text")
    if field_type not in PRE_CHAT_FIELD_TYPES:
        raise ArgumentError(f"{where}.type", field_type, f"must be one of {PRE_CHAT_FIELD_TYPES}")
    options = raw.get("options", [])
    if not isinstance(options, list | tuple) or not all(isinstance(o, str) and o for o in options):
        raise ArgumentError(f"{where}.options", options, "must be a list of non-empty strings")
    if field_type == "select" and not options:
        raise ArgumentError(f"{where}.options", options, "a select field needs at least one option")
    if field_type != "select" and options:
        raise ArgumentError(f"{where}.options", options, "only a select field takes options")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise ArgumentError(f"{where}.required", required, "must be true or false")
    return PreChatField(attribute, label, field_type, tuple(options), required)


WIDGET_KEYS = frozenset(
    {
        "title",
        "persistentChat",
        "persistentChatOfferMinutes",
        "preChatFields",
        "language",
        "postChatSurvey",
        "customerFormatting",
        *BRANDING_KEYS,
    }
)


def parse_widget(value: object, allowed_attributes: tuple[str, ...]) -> WidgetSettings:
    """The `widget` object (schema names, as the stack config and local mode write them)."""
    key = "widget"
    if not isinstance(value, dict):
        raise ArgumentError(key, value, "must be an object (title, primaryColor, ...)")
    # An absent setting may arrive as null (an SDK's undefined): it means the default.
    value = {name: setting for name, setting in value.items() if setting is not None}
    unknown = set(value) - WIDGET_KEYS
    if unknown:
        raise ArgumentError(key, value, f"unknown field(s) {sorted(unknown)}")
    defaults = WidgetSettings()
    title = value.get("title", defaults.title)
    if not isinstance(title, str) or not title.strip() or len(title) > 80:
        raise ArgumentError(f"{key}.title", title, "must be a non-empty string of at most 80 chars")
    branding = parse_branding(value, key)
    persistent = value.get("persistentChat", defaults.persistent_chat)
    if not isinstance(persistent, bool):
        raise ArgumentError(f"{key}.persistentChat", persistent, "must be true or false")
    offer = whole_number(
        value.get("persistentChatOfferMinutes", defaults.persistent_chat_offer_minutes)
    )
    if (
        isinstance(offer, bool)
        or not isinstance(offer, int)
        or not 1 <= offer <= PERSISTENT_CHAT_OFFER_MAX_MINUTES
    ):
        raise ArgumentError(
            f"{key}.persistentChatOfferMinutes",
            offer,
            f"must be a whole number of minutes from 1 to {PERSISTENT_CHAT_OFFER_MAX_MINUTES}"
            " (30 days)",
        )
    fields_raw = value.get("preChatFields", [])
    if not isinstance(fields_raw, list | tuple):
        raise ArgumentError(f"{key}.preChatFields", fields_raw, "must be a list")
    fields = tuple(
        _parse_pre_chat_field(key, i, item, allowed_attributes) for i, item in enumerate(fields_raw)
    )
    attributes = [f.attribute for f in fields]
    if len(set(attributes)) != len(attributes):
        raise ArgumentError(f"{key}.preChatFields", attributes, "each attribute may appear once")
    language = value.get("language")
    if language is not None and language not in WIDGET_LANGUAGES:
        raise ArgumentError(
            f"{key}.language",
            language,
            f"must be one of {', '.join(WIDGET_LANGUAGES)} (or absent for the browser's)",
        )
    switches = {}
    for name in ("postChatSurvey", "customerFormatting"):
        switches[name] = value.get(name, False)
        if not isinstance(switches[name], bool):
            raise ArgumentError(f"{key}.{name}", switches[name], "must be true or false")
    return WidgetSettings(
        title,
        persistent,
        fields,
        offer,
        language=language,
        post_chat_survey=switches["postChatSurvey"],
        customer_formatting=switches["customerFormatting"],
        branding=branding,
    )


def _check_powertools_layer_arn(arn: str, region: str) -> None:
    match = LAYER_ARN_PATTERN.fullmatch(arn)
    if match is None:
        raise ArgumentError(
            "powertoolsLayerArn",
            arn,
            f"must be a version of the AWS-published layer {LAYER_NAME} (arn:PARTITION:lambda:"
            f"REGION:{PUBLISHER_ACCOUNT}:layer:{LAYER_NAME}:N), or empty to look it up from "
            "powertoolsVersion",
        )
    # Lambda attaches only layers from the function's own region.
    if match["region"] != region:
        raise ArgumentError(
            "powertoolsLayerArn", arn, f"must be in the stack's region (region = {region})"
        )


def settings_from_values(values: Mapping[str, object]) -> ConnectChatConfig:
    """Validates every setting, keyed by its schema name (= the stack config key), typed.

    Raises `ArgumentError` naming the first setting that breaks a rule. An absent setting, None
    or an empty string takes the default.
    """

    def get(key: str) -> object:
        value = values.get(key)
        return None if value is None or value == "" else value

    def optional(key: str, check: Callable[[object], T], default: T) -> T:
        value = get(key)
        return default if value is None else check(value)

    region = get("region")
    if region is None:
        raise ArgumentError(
            "region",
            None,
            "is required: pass region, or configure the AWS provider's (aws:region)",
        )
    if not isinstance(region, str) or not _REGION.fullmatch(region):
        raise ArgumentError("region", region, "must be an AWS region code such as eu-west-2")

    instance_id = get("instanceId")
    if instance_id is None:
        raise ArgumentError("instanceId", None, "is required: the Amazon Connect instance id")
    instance_id = _check_uuid("instanceId", instance_id)
    contact_flow_id = get("contactFlowId")
    if contact_flow_id is None:
        raise ArgumentError("contactFlowId", None, "is required: the default contact flow id")
    contact_flow_id = _check_uuid("contactFlowId", contact_flow_id)

    extra_flows = optional(
        "extraContactFlowIds", lambda v: _string_list("extraContactFlowIds", v), ()
    )
    for flow_id in extra_flows:
        _check_uuid("extraContactFlowIds", flow_id)
    if contact_flow_id in extra_flows:
        raise ArgumentError("extraContactFlowIds", contact_flow_id, "must not repeat contactFlowId")

    origins = optional("allowedOrigins", lambda v: _string_list("allowedOrigins", v), ())
    for origin in origins:
        _check_origin("allowedOrigins", origin)
    if len(origins) > 50:
        raise ArgumentError("allowedOrigins", len(origins), "at most 50 origins")
    _check_csp_fits(region, origins)

    attributes = optional("allowedAttributes", lambda v: _string_list("allowedAttributes", v), ())
    for attribute in attributes:
        if not _ATTRIBUTE_KEY.fullmatch(attribute):
            raise ArgumentError(
                "allowedAttributes", attribute, "keys are 1 to 128 letters, digits, - and _"
            )

    widget = optional("widget", lambda v: parse_widget(v, attributes), WidgetSettings())

    stage_name = optional("stageName", lambda v: _text("stageName", v), "prod")
    if not _STAGE_NAME.fullmatch(stage_name):
        raise ArgumentError("stageName", stage_name, "must match [A-Za-z0-9_-]{1,128}")

    # Integers: Pulumi's config and schema types keep whole numbers apart from floats.
    rate_quota = optional(
        "startChatRateQuota", lambda v: _int("startChatRateQuota", v, 1, 10_000), 5
    )
    burst_quota = optional(
        "startChatBurstQuota", lambda v: _int("startChatBurstQuota", v, 1, 10_000), 8
    )
    rate = optional("throttlingRateLimit", lambda v: _int("throttlingRateLimit", v, 1, 10_000), 5)
    if rate > rate_quota:
        raise ArgumentError(
            "throttlingRateLimit",
            rate,
            f"must not exceed Connect's StartChatContact rate quota ({rate_quota}/s, "
            "startChatRateQuota); raise the quota in Service Quotas first",
        )
    burst = optional(
        "throttlingBurstLimit", lambda v: _int("throttlingBurstLimit", v, 1, 10_000), 8
    )
    if burst > burst_quota:
        raise ArgumentError(
            "throttlingBurstLimit",
            burst,
            f"must not exceed Connect's StartChatContact burst quota ({burst_quota}, "
            "startChatBurstQuota)",
        )

    waf_rate_limit = optional(
        "wafRateLimit",
        lambda v: _int("wafRateLimit", v, WAF_MIN_RATE_LIMIT, WAF_MAX_RATE_LIMIT),
        100,
    )
    window = optional(
        "wafRateWindowSeconds", lambda v: _int("wafRateWindowSeconds", v, 1, 600), 300
    )
    if window not in WAF_RATE_WINDOWS:
        raise ArgumentError("wafRateWindowSeconds", window, f"must be one of {WAF_RATE_WINDOWS}")
    max_body = optional("wafMaxBodyBytes", lambda v: _int("wafMaxBodyBytes", v, 256, 65_536), 4096)
    anonymous_ip = optional("wafAnonymousIpRule", lambda v: _bool("wafAnonymousIpRule", v), False)
    countries = optional(
        "wafBlockedCountries", lambda v: _string_list("wafBlockedCountries", v), ()
    )
    for country in countries:
        if not _COUNTRY.fullmatch(country):
            raise ArgumentError(
                "wafBlockedCountries", country, "must be ISO 3166-1 alpha-2 codes such as FR"
            )

    retention = optional("logRetentionDays", lambda v: _int("logRetentionDays", v, 1, 3653), 30)
    if retention not in LOG_RETENTION_DAYS:
        raise ArgumentError(
            "logRetentionDays", retention, f"CloudWatch accepts only {LOG_RETENTION_DAYS}"
        )

    reserved = optional(
        "reservedConcurrency", lambda v: _int("reservedConcurrency", v, -1, 10_000), -1
    )
    if reserved == 0:
        raise ArgumentError(
            "reservedConcurrency", reserved, "0 would disable the function; use -1 to reserve none"
        )

    powertools_version = optional(
        "powertoolsVersion", lambda v: _text("powertoolsVersion", v), DEFAULT_POWERTOOLS_VERSION
    )
    if not VERSION_PATTERN.fullmatch(powertools_version):
        raise ArgumentError(
            "powertoolsVersion",
            powertools_version,
            "must be an exact Powertools v3 release such as 3.37.0 (not latest), the "
            "aws-lambda-powertools version pinned in handler/requirements.txt",
        )
    powertools_layer_arn = optional(
        "powertoolsLayerArn", lambda v: _text("powertoolsLayerArn", v), None
    )
    if powertools_layer_arn is not None:
        _check_powertools_layer_arn(powertools_layer_arn, region)

    price_class = optional("priceClass", lambda v: _text("priceClass", v), "PriceClass_100")
    if price_class not in PRICE_CLASSES:
        raise ArgumentError("priceClass", price_class, f"must be one of {PRICE_CLASSES}")

    domain = optional("customDomain", lambda v: _text("customDomain", v), None)
    certificate = optional("certificateArn", lambda v: _text("certificateArn", v), None)
    custom_domain = None
    if (domain is None) != (certificate is None):
        given, missing = (
            ("customDomain", "certificateArn") if domain else ("certificateArn", "customDomain")
        )
        raise ArgumentError(
            given,
            domain or certificate,
            f"needs {missing} too: customDomain and certificateArn are set together",
        )
    if domain is not None and certificate is not None:
        if not _HOSTNAME.fullmatch(domain):
            raise ArgumentError("customDomain", domain, "must be a lowercase hostname")
        if not _ACM_ARN.fullmatch(certificate):
            raise ArgumentError(
                "certificateArn",
                certificate,
                "must be an ACM certificate ARN in us-east-1 (CloudFront reads only that region)",
            )
        custom_domain = CustomDomain(domain, certificate)

    snap_start = optional("snapStart", lambda v: _bool("snapStart", v), False)
    _check_snap_start_region(snap_start, region)
    monitoring = _parse_monitoring(get)
    retired_asset_days = optional(
        "retiredAssetDays",
        lambda v: _int("retiredAssetDays", v, 1, 365),
        DEFAULT_RETIRED_ASSET_DAYS,
    )

    return ConnectChatConfig(
        region=region,
        instance_id=instance_id,
        contact_flow_id=contact_flow_id,
        extra_contact_flow_ids=extra_flows,
        allowed_origins=origins,
        allowed_attributes=attributes,
        attachments_enabled=optional(
            "attachmentsEnabled", lambda v: _bool("attachmentsEnabled", v), False
        ),
        chat_duration_in_minutes=optional(
            "chatDurationInMinutes", lambda v: _int("chatDurationInMinutes", v, 60, 10080), 1500
        ),
        resume_token_days=optional(
            "resumeTokenDays", lambda v: _int("resumeTokenDays", v, 1, 365), 30
        ),
        require_customer_token=optional(
            "requireCustomerToken", lambda v: _bool("requireCustomerToken", v), False
        ),
        widget=widget,
        stage_name=stage_name,
        throttling_rate_limit=rate,
        throttling_burst_limit=burst,
        start_chat_rate_quota=rate_quota,
        start_chat_burst_quota=burst_quota,
        waf_rate_limit=waf_rate_limit,
        waf_rate_window_seconds=window,
        waf_max_body_bytes=max_body,
        waf_anonymous_ip_rule=anonymous_ip,
        waf_blocked_countries=countries,
        log_retention_days=retention,
        reserved_concurrency=None if reserved == -1 else reserved,
        snap_start=snap_start,
        create_api_gateway_account_role=optional(
            "createApiGatewayAccountRole",
            lambda v: _bool("createApiGatewayAccountRole", v),
            False,
        ),
        powertools_version=powertools_version,
        powertools_layer_arn=powertools_layer_arn,
        price_class=price_class,
        custom_domain=custom_domain,
        monitoring=monitoring,
        retired_asset_days=retired_asset_days,
    )
