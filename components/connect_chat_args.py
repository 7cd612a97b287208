"""ConnectChat's arguments: the package schema every language's SDK is generated from.

Pulumi's analyzer (pulumi.provider.experimental) infers the schema from these type hints and
takes each description from the string under the field, so this module must keep real (not
postponed) annotations: no `from __future__ import annotations`. Each description is one line:
the analyzer copies the literal, indentation and all.

Schema names are the camelCase of these fields and equal the repository stack's config keys
(`connect-chat:<name>`), so one name means one setting everywhere.

Inputs (`pulumi.Input[...]`) are the settings a program may take from its other resources: the
instance and flow ids, origins, attribute keys, durations, token rules and the widget. The rest
are plain values because they decide which resources exist (monitoring, alarmEmail, snapStart,
createApiGatewayAccountRole, customDomain, attachmentsEnabled, the WAF's optional rules) or are
checked against each other before anything is declared (the region, throttling against the
StartChatContact quotas, the web ACL's limits, log and site retention).
"""

from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi


class DisplayNameOptions(TypedDict):
    """Names the chat shows for messages that are not the visitor's."""

    agent: NotRequired[pulumi.Input[str]]
    """Shown for an agent's messages instead of the agent's own name (1-64 characters)."""
    bot: NotRequired[pulumi.Input[str]]
    """Shown for a Lex bot's messages (1-64 characters)."""
    system: NotRequired[pulumi.Input[str]]
    """Shown for the contact flow's own messages (1-64 characters)."""


class PreChatFieldOptions(TypedDict):
    """A question the widget asks before the chat starts; the answer becomes a contact attribute."""

    attribute: pulumi.Input[str]
    """The contact attribute the answer is stored in: one of allowedAttributes."""
    label: NotRequired[pulumi.Input[str]]
    """The question's label (default: the attribute's name)."""
    type: NotRequired[pulumi.Input[str]]
    """text (default), email or select."""
    options: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """The choices of a select field (at least one); only a select field takes options."""
    required: NotRequired[pulumi.Input[bool]]
    """Whether the visitor must answer (default false)."""


class WidgetOptions(TypedDict):
    """How the chat widget looks and behaves; written into the site's config.json."""

    title: NotRequired[pulumi.Input[str]]
    """The chat window's title, 1-80 characters (default "Chat with us")."""
    primary_color: NotRequired[pulumi.Input[str]]
    """Brand colour as #rrggbb (default #1f4fd1); text on it is black or white, whichever contrasts more."""
    logo: NotRequired[pulumi.Input[str]]
    """An https:// URL, or the path of a file shipped with the site (/logo.svg)."""
    font_family: NotRequired[pulumi.Input[str]]
    """A CSS font stack of at most 200 characters (names, quotes, commas)."""
    font_url: NotRequired[pulumi.Input[str]]
    """The path of a .woff2 or .woff file shipped with the site; needs fontFamily."""
    position: NotRequired[pulumi.Input[str]]
    """Where the launcher sits: right (default) or left."""
    width: NotRequired[pulumi.Input[int]]
    """The chat window's width in pixels, 300-640 (default 380)."""
    height: NotRequired[pulumi.Input[int]]
    """The chat window's height in pixels, 400-900 (default 600)."""
    display_names: NotRequired[pulumi.Input[DisplayNameOptions]]
    """Names shown for the agent, the bot and the system."""
    persistent_chat: NotRequired[pulumi.Input[bool]]
    """Offer to continue the previous chat (Connect persistent chat); default true."""
    persistent_chat_offer_minutes: NotRequired[pulumi.Input[int]]
    """How long after a chat ends the widget offers to continue it on the same device, 1-43200 minutes (default 1440: a shared computer must not offer an old chat)."""
    pre_chat_fields: NotRequired[pulumi.Input[Sequence[pulumi.Input[PreChatFieldOptions]]]]
    """Questions asked before the chat starts."""
    language: NotRequired[pulumi.Input[str]]
    """en, es, fr, de, pt-BR, ja or ar; absent: the visitor's browser language."""
    post_chat_survey: NotRequired[pulumi.Input[bool]]
    """Keep the visitor connected after the agent leaves, so the flow's disconnect branch can run a survey (default false)."""
    customer_formatting: NotRequired[pulumi.Input[bool]]
    """Let visitors send Markdown formatting (default false)."""


class ConnectChatArgs(TypedDict):
    """The settings of one website's Amazon Connect chat."""

    instance_id: pulumi.Input[str]
    """Amazon Connect instance id (lowercase UUID, the last part of the instance ARN)."""
    contact_flow_id: pulumi.Input[str]
    """Default contact flow id (lowercase UUID) every chat starts in."""
    extra_contact_flow_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """Other flow ids a client may ask for; the function may start only these and contactFlowId."""
    allowed_origins: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """https origins exactly as browsers send them (https://host[:port] in lowercase, no wildcard, path, trailing slash or :443), at most 50, allowed to call the API and frame the widget; the site's own origin is added automatically."""
    allowed_attributes: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """Contact-attribute keys ([A-Za-z0-9_-], 1-128 characters) a client may set."""
    chat_duration_in_minutes: NotRequired[pulumi.Input[int]]
    """Chat duration in minutes, 60-10080: the default and the most a client may ask for (default 1500)."""
    resume_token_days: NotRequired[pulumi.Input[int]]
    """Days a chat's resume token lets the visitor continue it (persistent chat), 1-365 (default 30)."""
    require_customer_token: NotRequired[pulumi.Input[bool]]
    """Refuse (401) starts without a customer JWT signed with the stack's signing secret (default false)."""
    widget: NotRequired[pulumi.Input[WidgetOptions]]
    """The widget's title, branding, language, pre-chat questions and behaviour."""
    region: NotRequired[str]
    """AWS region code such as eu-west-2 (default: the aws:region config, then AWS_REGION); pass it when the chat deploys through an explicit AWS provider of another region."""
    attachments_enabled: NotRequired[bool]
    """Offer file attachments; the instance must have attachments enabled (default false)."""
    stage_name: NotRequired[str]
    """API Gateway stage name ([A-Za-z0-9_-], default prod), the last part of apiEndpoint."""
    throttling_rate_limit: NotRequired[int]
    """Stage steady-state rate in requests/s (default 5); must not exceed startChatRateQuota."""
    throttling_burst_limit: NotRequired[int]
    """Stage burst (default 8); must not exceed startChatBurstQuota."""
    start_chat_rate_quota: NotRequired[int]
    """Your account's StartChatContact rate quota (default 5); raise it only after raising the quota in Service Quotas."""
    start_chat_burst_quota: NotRequired[int]
    """Your account's StartChatContact burst quota (default 8)."""
    waf_rate_limit: NotRequired[int]
    """Requests per client IP per window before WAF blocks (10 or more, default 100)."""
    waf_rate_window_seconds: NotRequired[int]
    """The WAF rate rule's window: 60, 120, 300 (default) or 600 seconds."""
    waf_max_body_bytes: NotRequired[int]
    """Largest request body WAF lets through, 256-65536 (default 4096); above 16384 the web ACL raises its body inspection limit, which WAF charges extra for."""
    waf_anonymous_ip_rule: NotRequired[bool]
    """Add AWSManagedRulesAnonymousIpList (may block corporate proxies and VPNs); default false."""
    waf_blocked_countries: NotRequired[Sequence[str]]
    """ISO 3166-1 alpha-2 country codes WAF blocks."""
    log_retention_days: NotRequired[int]
    """Retention of every log group, a value CloudWatch accepts (1, 3, 5, 7, 14, 30 (default), 60, 90, 120, 150, 180, 365, ...)."""
    reserved_concurrency: NotRequired[int]
    """Reserved concurrency of the function; -1 (default) reserves none."""
    snap_start: NotRequired[bool]
    """Enable Lambda SnapStart, which publishes a version behind the alias `live` (default false)."""
    create_api_gateway_account_role: NotRequired[bool]
    """Create API Gateway's account-level CloudWatch role (one per account and region: leave false if one exists)."""
    powertools_version: NotRequired[str]
    """Powertools release (3.x.y) whose AWS-published layer the function uses, looked up in the public SSM parameter /aws/service/powertools/python/arm64/python3.13/<version>; default: the release the handler is tested with."""
    powertools_layer_arn: NotRequired[str]
    """An exact AWSLambdaPowertoolsPythonV3-python313-arm64 layer version ARN in the region, which skips the SSM lookup."""
    price_class: NotRequired[str]
    """CloudFront price class: PriceClass_100 (default), PriceClass_200 or PriceClass_All."""
    custom_domain: NotRequired[str]
    """A hostname for the site, set together with certificateArn; you create the DNS record."""
    certificate_arn: NotRequired[str]
    """ACM certificate ARN in us-east-1 covering customDomain."""
    monitoring: NotRequired[bool]
    """Alarms, a dashboard and the SNS topic alarmTopicArn (default true); false declares none of them."""
    alarm_email: NotRequired[str]
    """An address subscribed to the alarm topic (SNS mails a confirmation link first); needs monitoring."""
    alarm_api_5xx_percent: NotRequired[int]
    """Alarm when API 5XX answers reach this % of requests, 1-100 (default 5)."""
    alarm_api_p99_latency_ms: NotRequired[int]
    """Alarm when the API's p99 latency reaches this many ms for 15 minutes, 100-29000 (default 3000)."""
    alarm_lambda_errors: NotRequired[int]
    """Alarm when the function reports this many errors in 5 minutes (default 1)."""
    alarm_lambda_throttles: NotRequired[int]
    """Alarm when Lambda throttles the function this many times in 5 minutes (default 1)."""
    alarm_connect_throttles: NotRequired[int]
    """Alarm when Amazon Connect throttles StartChatContact this many times in 5 minutes (default 5)."""
    alarm_connect_configuration_errors: NotRequired[int]
    """Alarm when Amazon Connect refuses StartChatContact as misconfigured this many times in 5 minutes (default 1)."""
    alarm_waf_blocked_requests: NotRequired[int]
    """Alarm when WAF blocks this many requests in 5 minutes (default 500)."""
    retired_asset_days: NotRequired[int]
    """Days a deploy keeps the previous builds' hashed assets readable for pages still open, 1-365 (default 30)."""
