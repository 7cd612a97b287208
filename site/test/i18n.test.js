import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { applyDocumentLanguage, localize, localizeAttribute, relocalize } from "../src/i18n/dom.js";
import {
  LAST_RESORT,
  SUPPORTED_LANGUAGES,
  chooseLanguage,
  currentLanguage,
  loadLocale,
  matchLanguage,
  t,
} from "../src/i18n/index.js";

// Japanese downloads slowly here, so a later, quicker request can overtake it.
vi.mock("../src/i18n/locales/ja.json", async (importOriginal) => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return importOriginal();
});

const LOCALES_DIR = join(import.meta.dirname, "../src/i18n/locales");
const SOURCE_DIR = join(import.meta.dirname, "../src");

/** @param {string} code */
function readLocale(code) {
  return JSON.parse(readFileSync(join(LOCALES_DIR, `${code}.json`), "utf8"));
}

/** @param {string} text */
const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const english = readLocale("en");

afterEach(async () => {
  await loadLocale("en");
});

describe("the catalogue", () => {
  it("has a locale file for exactly the supported languages", () => {
    const files = readdirSync(LOCALES_DIR).map((name) => name.replace(/\.json$/, ""));
    expect(files.sort()).toEqual([...SUPPORTED_LANGUAGES].sort());
    expect([...SUPPORTED_LANGUAGES].sort()).toEqual(["ar", "de", "en", "es", "fr", "ja", "pt-BR"]);
  });

  it.each(SUPPORTED_LANGUAGES.filter((code) => code !== "en"))(
    "%s has every English key, no unknown key, and the same placeholders",
    (code) => {
      const locale = readLocale(code);
      const missing = Object.keys(english).filter((key) => !(key in locale));
      const unknown = Object.keys(locale).filter((key) => !(key in english));
      expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
      for (const [key, text] of Object.entries(locale)) {
        expect(typeof text === "string" && text.trim() !== "", `${code} ${key}`).toBe(true);
        expect(placeholders(text), `${code} ${key}`).toEqual(placeholders(english[key]));
      }
    },
  );

  it("defines every key the source code looks up", () => {
    /** @param {string} dir @returns {string[]} */
    const sources = (dir) =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? sources(join(dir, entry.name))
          : entry.name.endsWith(".js")
            ? [join(dir, entry.name)]
            : [],
      );
    // Every "namespace.word" literal in the source, for the catalogue's namespaces, is a key
    // (so "theme.title", a config key, and "button.choice", a selector, are not).
    const namespaces = new Set(Object.keys(english).map((key) => key.split(".")[0]));
    const used = new Set();
    for (const file of sources(SOURCE_DIR)) {
      for (const match of readFileSync(file, "utf8").matchAll(
        /["']([a-z]+\.[a-z][A-Za-z]*)["']/g,
      )) {
        if (namespaces.has(match[1].split(".")[0])) used.add(match[1]);
      }
    }
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((key) => !(key in english))).toEqual([]);
  });
});

describe("the last-resort texts", () => {
  it("are English's own, for the keys the unavailable page needs", () => {
    expect(Object.entries(LAST_RESORT)).toEqual(
      Object.keys(LAST_RESORT).map((key) => [key, english[key]]),
    );
    expect(Object.keys(LAST_RESORT).sort()).toEqual([
      "page.configError",
      "page.embedRefused",
      "page.unavailable",
    ]);
  });
});

describe("choosing the language", () => {
  it("matches exact tags, any case, then the base language", () => {
    expect(matchLanguage("pt-BR")).toBe("pt-BR");
    expect(matchLanguage("PT-br")).toBe("pt-BR");
    expect(matchLanguage("pt-PT")).toBe("pt-BR");
    expect(matchLanguage("es-MX")).toBe("es");
    expect(matchLanguage("ar-EG")).toBe("ar");
    expect(matchLanguage("zh-CN")).toBeNull();
    expect(matchLanguage("")).toBeNull();
    expect(matchLanguage(42)).toBeNull();
  });

  it("takes the host's call over the stack's setting over the browser's", () => {
    expect(chooseLanguage({ host: "ja", stack: "de", browser: ["fr-FR"] })).toBe("ja");
    expect(chooseLanguage({ host: null, stack: "de", browser: ["fr-FR"] })).toBe("de");
    expect(chooseLanguage({ browser: ["zh-CN", "fr-FR", "es"] })).toBe("fr");
    expect(chooseLanguage({ host: "xx", stack: null, browser: [] })).toBe("en");
  });
});

describe("t and loadLocale", () => {
  it("fills placeholders and leaves unknown ones", () => {
    expect(t("typing.named", { name: "Alex" })).toBe("Alex is typing…");
    expect(t("typing.named")).toBe("{name} is typing…");
  });

  it("downloads the chosen locale and falls back to English for unknown codes", async () => {
    expect(await loadLocale("fr-CA")).toBe("fr");
    expect(currentLanguage()).toBe("fr");
    expect(t("end.confirmTitle")).toBe("Terminer ce chat ?");
    expect(await loadLocale("tlh")).toBe("en");
    expect(t("end.confirmTitle")).toBe("End this chat?");
  });
});

describe("loadLocale in a hurry", () => {
  it("leaves the language asked last, whichever download finishes first", async () => {
    const slow = loadLocale("ja");
    const quick = loadLocale("de");
    await Promise.all([slow, quick]);
    expect([currentLanguage(), t("end.button")]).toEqual(["de", "Chat beenden"]);
  });
});

describe("the DOM follows the language", () => {
  it("relabels texts and attributes already on screen", async () => {
    const root = document.createElement("div");
    const button = localize(document.createElement("button"), "end.button");
    const typing = localize(document.createElement("p"), "typing.named", { name: "Alex" });
    const box = localizeAttribute(
      document.createElement("textarea"),
      "placeholder",
      "composer.placeholder",
    );
    localizeAttribute(box, "aria-label", "composer.label");
    root.append(button, typing, box);
    await loadLocale("de");
    relocalize(root);
    expect([
      button.textContent,
      typing.textContent,
      box.getAttribute("placeholder"),
      box.getAttribute("aria-label"),
    ]).toEqual(["Chat beenden", "Alex schreibt…", "Nachricht eingeben", "Nachricht"]);
  });

  it("sets <html lang dir>: rtl for Arabic, ltr otherwise", async () => {
    await loadLocale("ar");
    applyDocumentLanguage(document);
    expect([document.documentElement.lang, document.documentElement.dir]).toEqual(["ar", "rtl"]);
    await loadLocale("ja");
    applyDocumentLanguage(document);
    expect([document.documentElement.lang, document.documentElement.dir]).toEqual(["ja", "ltr"]);
  });
});
