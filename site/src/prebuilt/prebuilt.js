// prebuilt.html: AWS's prebuilt chat widget (amazon-connect-chat-interface.js, supplied by the
// integrator, never vendored here) started against our API with our config.json.
import { ConfigError, loadConfig } from "../chat/config.js";
import { BUNDLE_PATH, prebuiltChatArgs, prebuiltInitProblem } from "./chat-interface-args.js";

/**
 * The part of AWS's prebuilt bundle this page uses (it is not ChatJS: no types ship with it).
 * @typedef {object} PrebuiltConnect
 * @property {{init(options: object): void,
 *   initiateChat(args: object, onSuccess: () => void, onFailure: () => void): void}} ChatInterface
 * @property {{setGlobalConfig(config: object): void}} [ChatSession]
 */

/** @param {string} id */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`prebuilt.html has no #${id}`);
  return element;
}

/** @returns {Promise<PrebuiltConnect>} */
function loadBundle() {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = BUNDLE_PATH;
    script.onload = () => {
      /** @type {PrebuiltConnect | undefined} */
      const loaded = /** @type {any} */ (globalThis).connect;
      if (loaded?.ChatInterface) resolve(loaded);
      else reject(new Error("no ChatInterface"));
    };
    script.onerror = () => reject(new Error("missing bundle"));
    document.head.append(script);
  });
}

// AWS's bundle styles itself with styled-components, which injects <style> elements: a CSP
// without 'unsafe-inline' in style-src makes ChatInterface.init throw. Say so plainly.
const blockedDirectives = new Set();
document.addEventListener("securitypolicyviolation", (event) =>
  blockedDirectives.add(event.effectiveDirective),
);

async function main() {
  const status = byId("prebuilt-status");
  const form = /** @type {HTMLFormElement} */ (byId("prebuilt-form"));
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    status.textContent = error instanceof ConfigError ? error.message : "Chat is not available.";
    return;
  }
  let connect;
  try {
    connect = await loadBundle();
  } catch {
    status.textContent =
      `AWS's prebuilt widget bundle is not installed: put ${BUNDLE_PATH} next to this page ` +
      "(see docs/embedding.md, “AWS's prebuilt widget”).";
    return;
  }
  if (config.participantEndpoint) {
    // Must precede the first ChatSession.create(), which the widget does in initiateChat.
    connect.ChatSession?.setGlobalConfig({
      region: config.region,
      endpoint: config.participantEndpoint,
    });
  }
  const root = byId("prebuilt-root");
  // CSSOM, not a style attribute: the site's CSP has no 'unsafe-inline' for styles.
  Object.assign(root.style, { width: "100%", maxWidth: "420px", height: "560px" });
  try {
    connect.ChatInterface.init({
      containerId: "prebuilt-root",
      headerConfig: { isHTML: false, render: () => config.theme.title },
    });
  } catch (error) {
    // Violation events are dispatched after the throw: give them a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    status.textContent = prebuiltInitProblem(blockedDirectives, error);
    return;
  }
  status.textContent = "Enter your name to start a chat.";
  form.hidden = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = /** @type {HTMLInputElement} */ (form.elements.namedItem("name")).value.trim();
    if (!name) return;
    form.hidden = true;
    status.textContent = "Connecting…";
    connect.ChatInterface.initiateChat(
      prebuiltChatArgs(config, name),
      () => {
        status.textContent = "Connected.";
      },
      () => {
        status.textContent = "We couldn't start the chat. Please try again.";
        form.hidden = false;
      },
    );
  });
}

main().catch((error) => {
  console.error(error);
  const status = document.getElementById("prebuilt-status");
  if (status) status.textContent = "Chat is not available.";
});
