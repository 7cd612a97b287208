"""connect-chat: Amazon Connect chat for a website (`pulumi up -s dev`).

The stack's config keys are ConnectChat's argument names (docs/configuration in the README);
this program maps one to the other and exports the outputs, nothing else.
"""

import pulumi

from components.connect_chat import ConnectChat
from components.stack_config import named_by_config_key, read_stack_config, stack_args

with named_by_config_key():
    chat = ConnectChat("connect-chat", stack_args(read_stack_config()))

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
