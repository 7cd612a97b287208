// Entry point of chat.html (framed by widget.js) and index.html (full page).
import { applyDocumentLanguage } from "../i18n/dom.js";
import { chooseLanguage, loadLocale, t } from "../i18n/index.js";
import { ChatAdapter } from "./chat-adapter.js";
import { ChatApp, loadConversationView } from "./chat-app.js";
import { ConfigError, loadConfig } from "./config.js";
import { HostChannel, resolveHostOrigin } from "./host-channel.js";
import { SessionStore } from "./session-store.js";
import "./chat.css";

/**
 * Shows why there is no chat, in the browser's language (the stack's may be unknown here).
 * @param {HTMLElement} root
 * @param {import("../i18n/index.js").MessageKey} key
 */
async function fatal(root, key) {
  try {
    await loadLocale(chooseLanguage({ browser: navigator.languages ?? [] }));
  } catch {
    // English stays.
  }
  applyDocumentLanguage(document);
  const text = t(key);
  const panel = document.createElement("main");
  panel.className = "chat-panel";
  const message = document.createElement("p");
  message.className = "error";
  message.setAttribute("role", "alert");
  message.dataset.testid = "error-message";
  message.textContent = text;
  panel.append(message);
  root.replaceChildren(panel);
}

async function main() {
  const root = document.getElementById("app");
  if (!root) throw new Error("chat.html has no #app element");
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await fatal(root, error instanceof ConfigError ? "page.configError" : "page.unavailable");
    return;
  }
  const framed = window.parent !== window;
  let hostOrigin = null;
  if (framed) {
    hostOrigin = resolveHostOrigin({
      search: location.search,
      ancestorOrigins: location.ancestorOrigins,
      referrer: document.referrer,
      allowedOrigins: config.allowedOrigins,
      ownOrigin: location.origin,
    });
    // frame-ancestors stops other sites framing us; this covers servers that forgot the header.
    if (!hostOrigin) {
      await fatal(root, "page.embedRefused");
      return;
    }
  }
  const app = new ChatApp({
    root,
    config,
    store: new SessionStore(),
    createAdapter: () => new ChatAdapter(config),
    host: new HostChannel({ hostOrigin, window }),
  });
  await app.boot();
  // Warm ChatJS and the conversation view while the visitor fills the form, so "Start chat"
  // does not wait for them.
  if (app.state === "prechat") {
    const idle = window.requestIdleCallback ?? ((fn) => setTimeout(fn, 200));
    // Only a warm-up: a failure here shows again, and is reported, when the chat starts.
    idle(() => {
      import("amazon-connect-chatjs").catch(() => {});
      loadConversationView().catch(() => {});
    });
  }
}

main().catch(async (error) => {
  console.error(error);
  const root = document.getElementById("app");
  if (root) await fatal(root, "page.unavailable");
});
