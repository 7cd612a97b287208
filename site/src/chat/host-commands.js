// Validates what the embedding page asks for (after HostChannel checked who is asking) before
// the chat acts on it: names are strings of at most 256 characters, attributes a flat map of
// strings, a language a supported tag, a theme only what branding.js allows (each invalid field
// is dropped alone).
import { matchLanguage } from "../i18n/index.js";
import {
  DISPLAY_NAME_ROLES,
  displayNameProblem,
  fontFamilyProblem,
  fontUrlProblem,
  logoProblem,
  primaryColourProblem,
} from "./branding.js";

/** At most 256 characters (code points: a cut never splits an emoji's surrogate pair). */
export function cleanDisplayName(name) {
  return typeof name === "string" ? [...name.trim()].slice(0, 256).join("") : null;
}

export function cleanAttributes(attributes) {
  if (!attributes || typeof attributes !== "object" || Array.isArray(attributes)) return null;
  const clean = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      clean[key] = String(value);
    }
  }
  return clean;
}

// A compact JWS (header.payload.signature in base64url), at most the API's 48 KB.
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** A customer JWT from the host, "" for none (sign-out), or null when malformed. */
export function cleanCustomerToken(token) {
  if (token === null || token === undefined || token === "") return "";
  return typeof token === "string" && token.length <= 48 * 1024 && COMPACT_JWT.test(token)
    ? token
    : null;
}

/**
 * The supported language a host's tag asks for ("es-MX" -> "es"), or null: a language the chat
 * does not speak leaves it in the one it has.
 */
export function cleanLanguage(code) {
  return typeof code === "string" && code.length <= 35 ? matchLanguage(code) : null;
}

/**
 * The host's branding, field by field. Position and size are the loader's (it draws the frame).
 * @typedef {{primaryColor?: string, title?: string, logo?: string, fontFamily?: string,
 *   fontUrl?: string, displayNames?: Partial<Record<"agent"|"bot"|"system", string>>}} HostTheme
 * @param {unknown} theme
 * @returns {HostTheme|null}
 */
export function cleanTheme(theme) {
  if (!theme || typeof theme !== "object") return null;
  const raw = /** @type {Record<string, any>} */ (theme);
  /** @type {HostTheme} */
  const clean = {};
  if (!primaryColourProblem(raw.primaryColor)) clean.primaryColor = raw.primaryColor;
  if (typeof raw.title === "string" && raw.title.trim())
    clean.title = raw.title.trim().slice(0, 80);
  if (!logoProblem(raw.logo)) clean.logo = raw.logo;
  if (!fontFamilyProblem(raw.fontFamily)) clean.fontFamily = raw.fontFamily;
  if (!fontUrlProblem(raw.fontUrl) && clean.fontFamily) clean.fontUrl = raw.fontUrl;
  if (raw.displayNames && typeof raw.displayNames === "object") {
    const names = Object.fromEntries(
      DISPLAY_NAME_ROLES.filter((role) => !displayNameProblem(raw.displayNames[role])).map(
        (role) => [role, raw.displayNames[role].trim()],
      ),
    );
    if (Object.keys(names).length > 0) clean.displayNames = names;
  }
  return Object.keys(clean).length > 0 ? clean : null;
}

/** Wires HostChannel commands to `actions`, dropping malformed payloads. */
export function bindHostCommands(host, actions) {
  host.on("open", () => actions.open());
  host.on("close", () => actions.close?.());
  host.on("setDisplayName", (name) => {
    const clean = cleanDisplayName(name);
    if (clean) actions.setDisplayName(clean);
  });
  host.on("setAttributes", (attributes) => {
    const clean = cleanAttributes(attributes);
    if (clean) actions.setAttributes(clean);
  });
  host.on("setLanguage", (code) => {
    const clean = cleanLanguage(code);
    if (clean) actions.setLanguage?.(clean);
  });
  host.on("theme", (theme) => {
    const clean = cleanTheme(theme);
    if (clean) actions.theme(clean);
  });
  host.on("setCustomerToken", (token) => {
    const clean = cleanCustomerToken(token);
    if (clean !== null) actions.setCustomerToken?.(clean || null);
  });
  host.on("customerTokenProvider", (present) => actions.customerTokenProvider?.(present === true));
  host.on("customerToken", (reply) => {
    if (!reply || typeof reply !== "object" || typeof reply.id !== "string") return;
    actions.customerToken?.(reply.id, cleanCustomerToken(reply.token) || null);
  });
  host.on("endChat", () => actions.endChat?.());
  host.on("events", (options) => {
    const includeText = /** @type {{includeText?: unknown} | null} */ (options)?.includeText;
    if (typeof includeText === "boolean") actions.includeText?.(includeText);
  });
}
