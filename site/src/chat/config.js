// Loads and validates /config.json, the only runtime input of the site (docs/architecture.md).
// Every rule failure names the key and the rule so an operator can fix the stack output.
import { SUPPORTED_LANGUAGES } from "../i18n/index.js";
import {
  DISPLAY_NAME_ROLES,
  HEIGHT,
  WIDTH,
  displayNameProblem,
  fontFamilyProblem,
  fontUrlProblem,
  logoProblem,
  positionProblem,
  primaryColourProblem,
  sizeProblem,
} from "./branding.js";

export class ConfigError extends Error {
  constructor(key, rule) {
    super(`config.json: "${key}" ${rule}`);
    this.name = "ConfigError";
    this.key = key;
  }
}

export const DEFAULT_THEME = Object.freeze({
  title: "Chat with us",
  primaryColor: "#1f4fd1",
  logo: null,
  fontFamily: null,
  fontUrl: null,
  position: "right",
  width: WIDTH.default,
  height: HEIGHT.default,
  displayNames: Object.freeze({}),
});
export const DEFAULT_FEATURES = Object.freeze({
  attachments: false,
  persistentChat: true,
  markdown: true,
  postChatSurvey: false,
  customerFormatting: false,
});
// How long after a chat ends a new one on the same device may offer to continue it. Short
// enough that the next person at a shared computer is rarely offered (or shown the name of)
// the previous visitor's chat; long enough to come back the same day.
export const DEFAULT_PERSISTENT_CHAT = Object.freeze({ offerForMinutes: 1440 });
const MAX_OFFER_MINUTES = 43200;
const PRE_CHAT_FIELD_TYPES = ["text", "email", "select"];
const ATTRIBUTE_KEY = /^[A-Za-z0-9_-]{1,128}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>} JSON still to be checked key by key
 */
function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function httpUrl(key, value) {
  if (typeof value !== "string" || value === "") {
    throw new ConfigError(key, "is required and must be an http(s) URL");
  }
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(key, `must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(key, `must use https:// (or http:// locally), got ${url.protocol}`);
  }
  return value;
}

// An origin as browsers serialise it in the Origin header (RFC 6454): lowercase ASCII scheme
// and host, the port only when it is not the scheme's default. The same rule as the handler's
// ALLOWED_ORIGINS and the stack's allowedOrigins; tests/vectors/origins.json keeps them agreed.
const ORIGIN =
  /^(https?):\/\/((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?::([0-9]+))?$/;
const DEFAULT_PORTS = { http: 80, https: 443 };
export const MAX_TITLE_CHARS = 80;

/**
 * Why `value` can never equal a browser's Origin header, or null when it can.
 * @param {unknown} value
 * @returns {string|null}
 */
export function originProblem(value) {
  if (typeof value !== "string") return "must be a string";
  if (value.includes("*")) return "wildcards are not allowed; list each origin";
  const match = ORIGIN.exec(value);
  if (!match || match[2].length > 253) {
    return "must be an exact origin scheme://host[:port] (http or https) in lowercase ASCII, with no path, trailing slash, user, query or whitespace";
  }
  const [, scheme, , port] = match;
  if (port === undefined) return null;
  if (port.startsWith("0") || Number(port) < 1 || Number(port) > 65535) {
    return "the port must be 1 to 65535, without leading zeros";
  }
  if (Number(port) === DEFAULT_PORTS[/** @type {"http"|"https"} */ (scheme)]) {
    return `without the default port ${port} (browsers omit it, so it would never match)`;
  }
  return null;
}

function validatePreChatField(field, index) {
  const key = `preChatFields[${index}]`;
  if (!isPlainObject(field)) throw new ConfigError(key, "must be an object");
  if (typeof field.attribute !== "string" || !ATTRIBUTE_KEY.test(field.attribute)) {
    throw new ConfigError(
      `${key}.attribute`,
      "must be a contact-attribute key of letters, digits, - or _ (and one of the stack's allowed attributes)",
    );
  }
  if (typeof field.label !== "string" || field.label.trim() === "") {
    throw new ConfigError(`${key}.label`, "must be a non-empty string");
  }
  const type = field.type ?? "text";
  if (!PRE_CHAT_FIELD_TYPES.includes(type)) {
    throw new ConfigError(`${key}.type`, `must be one of ${PRE_CHAT_FIELD_TYPES.join(", ")}`);
  }
  let options = [];
  if (type === "select") {
    if (
      !Array.isArray(field.options) ||
      field.options.length === 0 ||
      !field.options.every((o) => typeof o === "string" && o !== "")
    ) {
      throw new ConfigError(`${key}.options`, "must be a non-empty list of strings for a select");
    }
    options = [...field.options];
  }
  if (field.required !== undefined && typeof field.required !== "boolean") {
    throw new ConfigError(`${key}.required`, "must be true or false");
  }
  return Object.freeze({
    attribute: field.attribute,
    label: field.label.trim(),
    type,
    options,
    required: field.required === true,
  });
}

/**
 * A pre-chat form field, validated.
 * @typedef {{attribute: string, label: string, type: "text"|"email"|"select", options: string[],
 *   required: boolean}} PreChatField
 */

/**
 * config.json after validation (frozen, defaults filled in). The document's schema is
 * config.schema.json beside package.json.
 * @typedef {object} WidgetConfig
 * @property {string} apiEndpoint
 * @property {string} region
 * @property {string|null} participantEndpoint
 * @property {readonly string[]} allowedOrigins
 * @property {Readonly<{attachments: boolean, persistentChat: boolean, markdown: boolean,
 *   postChatSurvey: boolean, customerFormatting: boolean}>} features
 * @property {Readonly<{offerForMinutes: number}>} persistentChat
 * @property {string|null} language the stack's widget.language, or null for the browser's
 * @property {number} chatDurationInMinutes
 * @property {readonly PreChatField[]} preChatFields
 * @property {Readonly<Theme>} theme
 */

/**
 * Branding (branding.js has the rules). `displayNames` replace the sender shown for the agent,
 * a bot and system messages; `logo` and `fontUrl` are https URLs or files shipped with the site.
 * @typedef {object} Theme
 * @property {string} title
 * @property {string} primaryColor
 * @property {string|null} logo
 * @property {string|null} fontFamily
 * @property {string|null} fontUrl
 * @property {"right"|"left"} position
 * @property {number} width
 * @property {number} height
 * @property {Readonly<Partial<Record<"agent"|"bot"|"system", string>>>} displayNames
 */

/**
 * @param {unknown} raw the `theme` object of config.json
 * @returns {Readonly<Theme>}
 */
function validateTheme(raw) {
  /** @type {Theme} */
  const theme = { ...DEFAULT_THEME };
  if (raw === undefined) return Object.freeze(theme);
  if (!isPlainObject(raw)) throw new ConfigError("theme", "must be an object");
  /** @param {string} key @param {string|null} problem */
  const check = (key, problem) => {
    if (problem) throw new ConfigError(`theme.${key}`, problem);
    theme[key] = raw[key];
  };
  if (raw.title !== undefined) {
    if (
      typeof raw.title !== "string" ||
      raw.title.trim() === "" ||
      [...raw.title].length > MAX_TITLE_CHARS
    ) {
      throw new ConfigError(
        "theme.title",
        `must be a non-empty string of at most ${MAX_TITLE_CHARS} characters`,
      );
    }
    theme.title = raw.title.trim();
  }
  if (raw.primaryColor !== undefined) check("primaryColor", primaryColourProblem(raw.primaryColor));
  if (raw.logo !== undefined) check("logo", logoProblem(raw.logo));
  if (raw.fontFamily !== undefined) check("fontFamily", fontFamilyProblem(raw.fontFamily));
  if (raw.fontUrl !== undefined) {
    check("fontUrl", fontUrlProblem(raw.fontUrl));
    if (theme.fontFamily === null)
      throw new ConfigError(
        "theme.fontUrl",
        "needs theme.fontFamily (its first family names the file)",
      );
  }
  if (raw.position !== undefined) check("position", positionProblem(raw.position));
  if (raw.width !== undefined) check("width", sizeProblem(raw.width, WIDTH));
  if (raw.height !== undefined) check("height", sizeProblem(raw.height, HEIGHT));
  if (raw.displayNames !== undefined) {
    if (!isPlainObject(raw.displayNames))
      throw new ConfigError("theme.displayNames", "must be an object");
    for (const role of Object.keys(raw.displayNames)) {
      if (!DISPLAY_NAME_ROLES.includes(role)) {
        throw new ConfigError(
          `theme.displayNames.${role}`,
          `is not one of ${DISPLAY_NAME_ROLES.join(", ")}`,
        );
      }
      const problem = displayNameProblem(raw.displayNames[role]);
      if (problem) throw new ConfigError(`theme.displayNames.${role}`, problem);
    }
    theme.displayNames = Object.freeze({ ...raw.displayNames });
  }
  return Object.freeze(theme);
}

/**
 * Returns a frozen, defaulted config or throws ConfigError.
 * @param {unknown} raw the parsed config.json
 * @returns {Readonly<WidgetConfig>}
 */
export function validateConfig(raw) {
  if (!isPlainObject(raw)) throw new ConfigError("(root)", "must be a JSON object");
  const apiEndpoint = httpUrl("apiEndpoint", raw.apiEndpoint);
  if (typeof raw.region !== "string" || !REGION.test(raw.region)) {
    throw new ConfigError("region", "is required and must be an AWS region such as eu-west-2");
  }
  const participantEndpoint =
    raw.participantEndpoint === undefined || raw.participantEndpoint === null
      ? null
      : httpUrl("participantEndpoint", raw.participantEndpoint);

  // Absent means the default; null is not absent (config.schema.json says the same).
  const allowedOrigins = raw.allowedOrigins === undefined ? [] : raw.allowedOrigins;
  if (!Array.isArray(allowedOrigins)) {
    throw new ConfigError("allowedOrigins", "must be a list of origins");
  }
  allowedOrigins.forEach((origin, i) => {
    const problem = originProblem(origin);
    if (problem !== null) {
      throw new ConfigError(`allowedOrigins[${i}]`, `${problem}, got ${JSON.stringify(origin)}`);
    }
  });

  const features = { ...DEFAULT_FEATURES };
  if (raw.features !== undefined) {
    if (!isPlainObject(raw.features)) throw new ConfigError("features", "must be an object");
    for (const name of Object.keys(DEFAULT_FEATURES)) {
      const value = raw.features[name];
      if (value === undefined) continue;
      if (typeof value !== "boolean") {
        throw new ConfigError(`features.${name}`, "must be true or false");
      }
      features[name] = value;
    }
  }

  const persistentChat = { ...DEFAULT_PERSISTENT_CHAT };
  if (raw.persistentChat !== undefined) {
    if (!isPlainObject(raw.persistentChat))
      throw new ConfigError("persistentChat", "must be an object");
    const minutes = raw.persistentChat.offerForMinutes;
    if (minutes !== undefined) {
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_OFFER_MINUTES) {
        throw new ConfigError(
          "persistentChat.offerForMinutes",
          `must be a whole number of minutes from 1 to ${MAX_OFFER_MINUTES} (30 days)`,
        );
      }
      persistentChat.offerForMinutes = minutes;
    }
  }

  const language = raw.language ?? null;
  if (language !== null && !SUPPORTED_LANGUAGES.includes(language)) {
    throw new ConfigError(
      "language",
      `must be one of ${SUPPORTED_LANGUAGES.join(", ")} (or absent for the browser's), got ${JSON.stringify(language)}`,
    );
  }

  const duration = raw.chatDurationInMinutes === undefined ? 1500 : raw.chatDurationInMinutes;
  if (!Number.isInteger(duration) || duration < 60 || duration > 10080) {
    throw new ConfigError("chatDurationInMinutes", "must be a whole number from 60 to 10080");
  }

  const rawFields = raw.preChatFields === undefined ? [] : raw.preChatFields;
  if (!Array.isArray(rawFields)) throw new ConfigError("preChatFields", "must be a list");
  const preChatFields = rawFields.map(validatePreChatField);
  const seen = new Set();
  for (const field of preChatFields) {
    if (seen.has(field.attribute)) {
      throw new ConfigError("preChatFields", `names attribute "${field.attribute}" twice`);
    }
    seen.add(field.attribute);
  }

  const theme = validateTheme(raw.theme);

  return Object.freeze({
    apiEndpoint,
    region: raw.region,
    participantEndpoint,
    allowedOrigins: Object.freeze([...allowedOrigins]),
    features: Object.freeze(features),
    persistentChat: Object.freeze(persistentChat),
    language,
    chatDurationInMinutes: duration,
    preChatFields: Object.freeze(preChatFields),
    theme,
  });
}

/** Fetches config.json next to the page; network and JSON failures become ConfigError too. */
export async function loadConfig(fetchImpl = fetch, url = "config.json") {
  let response;
  try {
    response = await fetchImpl(url, { cache: "no-store", credentials: "omit" });
  } catch (error) {
    throw new ConfigError(
      "(file)",
      `could not be fetched: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!response.ok) {
    throw new ConfigError("(file)", `could not be fetched: HTTP ${response.status}`);
  }
  let raw;
  try {
    raw = await response.json();
  } catch {
    throw new ConfigError("(file)", "is not valid JSON");
  }
  return validateConfig(raw);
}
