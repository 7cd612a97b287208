"""connect-chat: Amazon Connect chat for a website (`pulumi up -s dev`)."""

from pathlib import Path

import pulumi

from components.config import load_config
from components.connect_chat import ConnectChat, ConnectChatArgs

PROJECT_DIR = Path(__file__).resolve().parent

config = load_config()
chat = ConnectChat(
    "connect-chat",
    ConnectChatArgs(
        config=config,
        handler_dir=PROJECT_DIR / "handler",
        site_dist_dir=PROJECT_DIR / "site" / "dist",
        build_dir=PROJECT_DIR / "build",
    ),
)

pulumi.export("apiEndpoint", chat.api_endpoint)
pulumi.export("siteUrl", chat.site_url)
pulumi.export("widgetConfig", chat.widget_config)
pulumi.export("webAclArn", chat.web_acl_arn)
pulumi.export("functionName", chat.function_name)
# The ARN only: website backends read the key with secretsmanager:GetSecretValue.
pulumi.export("signingSecretArn", chat.signing_secret_arn)
pulumi.export("region", chat.region)
if chat.alarm_topic_arn is not None:
    pulumi.export("alarmTopicArn", chat.alarm_topic_arn)
