// Agent and bot text can be markdown; it is rendered with marked and then sanitised with
// DOMPurify so no HTML from the wire (scripts, handlers, iframes, javascript: links) survives.
import DOMPurify from "dompurify";
import { Marked } from "marked";

const ALLOWED_TAGS = [
  "p",
  "br",
  "strong",
  "em",
  "del",
  "code",
  "pre",
  "blockquote",
  "ul",
  "ol",
  "li",
  "a",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
];
const ALLOWED_ATTR = ["href", "title"];
const SAFE_LINK = /^(https?:|mailto:|tel:)/i;

let hooked = false;
function installLinkHook() {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName !== "A") return;
    const href = node.getAttribute("href") ?? "";
    if (!SAFE_LINK.test(href.trim())) {
      node.removeAttribute("href");
      return;
    }
    // Links open outside the chat frame and cannot reach back into it.
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer nofollow");
  });
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Connect's chat markdown has no HTML: raw HTML in a message is shown as the text it is, so
// it never even reaches the sanitiser as markup. Images become their alt text (no remote
// fetches from message content).
const parser = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    image: ({ text }) => escapeHtml(text),
  },
});

/** Markdown → sanitised HTML string, safe for innerHTML. */
export function renderMarkdown(text) {
  installLinkHook();
  const html = parser.parse(String(text ?? ""), { async: false });
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: [...ALLOWED_ATTR, "target", "rel"],
    ALLOW_DATA_ATTR: false,
  });
}

/** Fills an element with a message body: markdown rendered and sanitised, plain text as text. */
export function fillMessageBody(element, content, contentType, markdownEnabled = true) {
  if (contentType === "text/markdown" && markdownEnabled) {
    element.innerHTML = renderMarkdown(content);
  } else {
    element.textContent = String(content ?? "");
  }
}
