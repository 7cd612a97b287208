// Every test file starts with the English catalogue loaded, as the page does before drawing.
import { loadLocale } from "../src/i18n/index.js";

await loadLocale("en");
