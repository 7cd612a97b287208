import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConnectChat } from "@acme/connect-chat";

// The Amazon Connect instance and contact flow this program already has (or looks up).
const instance = aws.connect.getInstanceOutput({ instanceAlias: "acme-contact-center" });
const flow = aws.connect.getContactFlowOutput({ instanceId: instance.id, name: "Website chat" });

const chat = new ConnectChat("website-chat", {
    instanceId: instance.id,
    contactFlowId: flow.contactFlowId,
    allowedOrigins: ["https://www.example.com"],
    allowedAttributes: ["topic"],
    widget: {
        title: "Chat with Acme",
        primaryColor: "#0b5fff",
        preChatFields: [
            {
                attribute: "topic",
                label: "What is it about?",
                type: "select",
                options: ["Orders", "Billing"],
            },
        ],
    },
});

export const siteUrl = chat.siteUrl;
export const apiEndpoint = chat.apiEndpoint;
// The one tag your pages embed.
export const embedTag = pulumi.interpolate`<script src="${chat.siteUrl}/widget.js" async></script>`;
