import { describe, expect, it } from "vitest";
import { fillMessageBody, renderMarkdown } from "../src/chat/markdown.js";

function render(markdown) {
  const div = document.createElement("div");
  div.innerHTML = renderMarkdown(markdown);
  return div;
}

describe("renderMarkdown", () => {
  it("renders the markdown Connect chat supports", () => {
    const div = render(
      "**bold** *it* `code`\n\n- one\n- two\n\n1. first\n\n[docs](https://docs.aws.amazon.com)",
    );
    expect(div.querySelector("strong").textContent).toBe("bold");
    expect(div.querySelector("em").textContent).toBe("it");
    expect(div.querySelectorAll("ul li")).toHaveLength(2);
    expect(div.querySelector("ol li").textContent).toBe("first");
    const link = div.querySelector("a");
    expect(link.getAttribute("href")).toBe("https://docs.aws.amazon.com");
    expect(link.getAttribute("target")).toBe("_blank");
    expect(link.getAttribute("rel")).toContain("noopener");
  });

  it.each([
    ["<script>window.__xss=1</script>", "script"],
    ['<img src=x onerror="window.__xss=1">', "img"],
    ['<iframe src="https://evil.example"></iframe>', "iframe"],
    ["<svg><script>alert(1)</script></svg>", "svg"],
    ['<a href="#" onclick="steal()">x</a>', "[onclick]"],
    ['<form action="https://evil"><input></form>', "form"],
    ['<div style="position:fixed">x</div>', "[style]"],
  ])("never produces live markup from wire HTML %s", (payload, selector) => {
    const div = render(`hello ${payload} **still bold**`);
    expect(div.querySelector(selector)).toBeNull();
    expect(div.querySelector("[onerror],[onclick],[onload]")).toBeNull();
    expect(div.querySelector("strong").textContent).toBe("still bold");
  });

  it("shows raw HTML as text rather than dropping what the agent typed", () => {
    expect(render("a <b>b</b>").textContent).toContain("<b>b</b>");
  });

  it.each([
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:x",
  ])("removes unsafe link targets (%s)", (href) => {
    const div = render(`[click](${href}) and [safe](https://example.com)`);
    expect(div.querySelectorAll("a[href]")).toHaveLength(1);
    expect(div.querySelector("a[href]").getAttribute("href")).toBe("https://example.com");
  });

  it("turns markdown images into their alt text (no remote fetches)", () => {
    const div = render("![tracking pixel](https://evil.example/p.gif)");
    expect(div.querySelector("img")).toBeNull();
    expect(div.textContent).toContain("tracking pixel");
  });
});

describe("fillMessageBody", () => {
  it("puts text/plain in as text, never as HTML", () => {
    const div = document.createElement("div");
    fillMessageBody(div, "<b>not bold</b> **not bold**", "text/plain");
    expect(div.querySelector("b")).toBeNull();
    expect(div.textContent).toBe("<b>not bold</b> **not bold**");
  });

  it("renders text/markdown only when the feature is on", () => {
    const on = document.createElement("div");
    fillMessageBody(on, "**x**", "text/markdown", true);
    expect(on.querySelector("strong")).not.toBeNull();
    const off = document.createElement("div");
    fillMessageBody(off, "**x**", "text/markdown", false);
    expect(off.textContent).toBe("**x**");
  });
});
