// What prebuilt.html hands to AWS's connect.ChatInterface.initiateChat.
import { SUPPORTED_CONTENT_TYPES } from "../chat/start-chat-request.js";

export const BUNDLE_PATH = "amazon-connect-chat-interface.js";

/** The argument object connect.ChatInterface.initiateChat expects (see wire-contract.md). */
export function prebuiltChatArgs(config, name, attributes = {}) {
  return {
    name,
    region: config.region,
    apiGatewayEndpoint: config.apiEndpoint,
    // The widget parses this JSON string into the request's Attributes object.
    contactAttributes: JSON.stringify(attributes),
    supportedMessagingContentTypes: SUPPORTED_CONTENT_TYPES.join(","),
    chatDurationInMinutes: config.chatDurationInMinutes,
    featurePermissions: {
      ATTACHMENTS: config.features.attachments,
      MESSAGING_MARKDOWN: config.features.markdown,
    },
    // Our API reads JSON whatever the Content-Type; sending it explicitly matches our CORS rules.
    headers: { "Content-Type": "application/json" },
  };
}

/** The operator-facing reason ChatInterface.init failed, naming CSP directives it tripped. */
export function prebuiltInitProblem(blockedDirectives, error) {
  const styles = [...blockedDirectives].filter((d) => d.startsWith("style-src"));
  if (styles.length > 0) {
    return (
      "AWS's prebuilt widget could not start: this page's Content-Security-Policy blocks its " +
      `inline styles (${styles.join(", ")}). Serve prebuilt.html with style-src 'self' 'unsafe-inline' ` +
      "(see docs/embedding.md)."
    );
  }
  return `AWS's prebuilt widget could not start: ${error?.message ?? error}`;
}
