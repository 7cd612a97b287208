// The branding rules (stack `widget` config → config.json `theme`, and the host API's `theme`):
// one definition for config.js, host-commands.js and the loader. components/config.py applies
// the same rules to the stack config; tests/vectors/widget-branding.json keeps them in step.
import { contrastRatio, DARK_TEXT, textColourOn } from "./theme.js";

// Plain literals, not Object.freeze(): a call would stay in the loader's bundle even unused.
export const POSITIONS = ["right", "left"];
export const WIDTH = { min: 300, max: 640, default: 380 };
export const HEIGHT = { min: 400, max: 900, default: 600 };
export const DISPLAY_NAME_ROLES = ["agent", "bot", "system"];
export const DISPLAY_NAME_MAX = 64;
/** WCAG 2.x AA for normal text. */
export const AA_CONTRAST = 4.5;

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
// A CSS font stack: family names, quotes, commas. No ; { } ( ) so nothing but a font-family.
const FONT_STACK = /^[A-Za-z0-9 ,'"_-]{1,200}$/;
// A file shipped with the site: a root-relative path (the CSP's font-src and img-src 'self').
const SITE_PATH = /^\/(?!\/)[A-Za-z0-9._~/-]{1,200}$/;
const FONT_FILE = /\.woff2?$/;

/**
 * Why `colour` cannot be the primary colour, or null. Text on it is black or white, whichever
 * contrasts more; refused if even that one stays below AA.
 * @param {unknown} colour
 * @returns {string|null}
 */
export function primaryColourProblem(colour) {
  if (typeof colour !== "string" || !HEX_COLOUR.test(colour)) return "must be a #rrggbb colour";
  const text = textColourOn(colour);
  const ratio = contrastRatio(colour, text);
  if (ratio < AA_CONTRAST) {
    const name = text === DARK_TEXT ? "black" : "white";
    return `gives ${name} text a contrast of ${ratio.toFixed(2)}:1, below WCAG AA's ${AA_CONTRAST}:1`;
  }
  return null;
}

/** @param {unknown} value */
export function positionProblem(value) {
  return typeof value === "string" && POSITIONS.includes(value)
    ? null
    : `must be one of ${POSITIONS.join(", ")}`;
}

/**
 * @param {unknown} value
 * @param {{min: number, max: number}} bounds
 */
export function sizeProblem(value, bounds) {
  return Number.isInteger(value) && Number(value) >= bounds.min && Number(value) <= bounds.max
    ? null
    : `must be a whole number of pixels from ${bounds.min} to ${bounds.max}`;
}

/** @param {unknown} value */
export function logoProblem(value) {
  const rule = "must be an https:// URL or a path of a file shipped with the site (/logo.svg)";
  if (typeof value !== "string") return rule;
  if (SITE_PATH.test(value)) return null;
  try {
    return new URL(value).protocol === "https:" && value.startsWith("https://") ? null : rule;
  } catch {
    return rule;
  }
}

/** @param {unknown} value */
export function fontFamilyProblem(value) {
  return typeof value === "string" && FONT_STACK.test(value) && value.trim() !== ""
    ? null
    : "must be a CSS font stack of at most 200 characters (names, quotes, commas)";
}

/** @param {unknown} value */
export function fontUrlProblem(value) {
  return typeof value === "string" && SITE_PATH.test(value) && FONT_FILE.test(value)
    ? null
    : "must be the path of a .woff2 or .woff file shipped with the site (/fonts/brand.woff2)";
}

/** @param {unknown} value */
export function displayNameProblem(value) {
  return typeof value === "string" && value.trim() !== "" && [...value].length <= DISPLAY_NAME_MAX
    ? null
    : `must be a non-empty string of at most ${DISPLAY_NAME_MAX} characters`;
}

/** The first family of a font stack, unquoted: the name a shipped font file is given. */
export function firstFontFamily(stack) {
  return stack
    .split(",")[0]
    .trim()
    .replace(/^["']|["']$/g, "");
}
