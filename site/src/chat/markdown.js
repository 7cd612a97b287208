// Agent and bot text can be markdown; it is rendered with marked and then sanitised with
// DOMPurify so no HTML from the wire (scripts, handlers, iframes, javascript: links) survives.
import DOMPurify from "dompurify";
import { Marked } from "marked";

const ALLOWED_TAGS = [
  "p", "br", "strong", "em", "del", "code", "pre", "blockquote",
  "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
  "table", "thead", "tbody", "tr", "th", "td",
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

const parser = new Marked({ gfm: true, breaks: true, async: false });

/** Markdown → sanitised HTML string, safe for innerHTML. */
export function renderMarkdown(text) {
  installLinkHook();
  const html = parser.parse(String(text ?? ""));
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
