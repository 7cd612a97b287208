// Every test file starts with the English catalogue loaded, as the page does before drawing.
// Likewise the markdown renderer, which the page loads with the first markdown message
// (message-list.test.js checks that first drawing on its own).
import { loadLocale } from "../src/i18n/index.js";
import { loadMarkdownRenderer } from "../src/chat/ui/message-list.js";

await loadLocale("en");
await loadMarkdownRenderer();
