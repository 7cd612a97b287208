"""An existing Python program that adds Amazon Connect website chat."""

import pulumi
import pulumi_aws as aws
from connect_chat import ConnectChat

# The Amazon Connect instance and contact flow this program already has (or looks up).
instance = aws.connect.get_instance_output(instance_alias="acme-contact-center")
flow = aws.connect.get_contact_flow_output(instance_id=instance.id, name="Website chat")

chat = ConnectChat(
    "website-chat",
    {
        "instance_id": instance.id,
        "contact_flow_id": flow.contact_flow_id,
        "allowed_origins": ["https://www.example.com"],
        "allowed_attributes": ["topic"],
        "widget": {
            "title": "Chat with Acme",
            "primary_color": "#0b5fff",
            "pre_chat_fields": [
                {
                    "attribute": "topic",
                    "label": "What is it about?",
                    "type": "select",
                    "options": ["Orders", "Billing"],
                },
            ],
        },
    },
)

pulumi.export("site_url", chat.site_url)
pulumi.export("api_endpoint", chat.api_endpoint)
# The one tag your pages embed.
pulumi.export(
    "embed_tag", pulumi.Output.concat('<script src="', chat.site_url, '/widget.js" async></script>')
)
