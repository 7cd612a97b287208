// Agent console for the local emulator. Every chat text is untrusted (it comes from the
// customer's browser), so it is only ever rendered with textContent.
(() => {
  "use strict";
  const chatList = document.getElementById("chats");
  const chatSection = document.getElementById("chat");
  const meta = document.getElementById("chat-meta");
  const transcript = document.getElementById("transcript");
  const form = document.getElementById("reply");
  const replyText = document.getElementById("reply-text");
  const replyMarkdown = document.getElementById("reply-markdown");
  const status = document.getElementById("status");
  let selected = null;

  const api = async (path, options = {}) => {
    const response = await fetch(path, {
      ...options,
      headers: { "Content-Type": "application/json" },
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.message || body.Message || `HTTP ${response.status}`);
    return body;
  };

  const describe = (item) => {
    if (item.Type === "MESSAGE") return item.Content ?? "";
    if (item.Type === "ATTACHMENT") return `[attachment] ${item.Attachments?.[0]?.AttachmentName ?? ""}`;
    const event = (item.ContentType || "").split(".").slice(-2).join(" ");
    return `${item.DisplayName ? item.DisplayName + ": " : ""}${event}`;
  };

  function renderChats(contacts) {
    chatList.replaceChildren(
      ...contacts.map((contact) => {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.contactId = contact.ContactId;
        button.setAttribute("aria-current", String(contact.ContactId === selected));
        button.textContent = `${contact.CustomerDisplayName} · ${contact.State}` +
          `${contact.HumanAgent ? " · human" : ""} · ${contact.MessageCount} msgs`;
        button.addEventListener("click", () => select(contact.ContactId));
        li.append(button);
        return li;
      }),
    );
  }

  function renderChat(detail) {
    chatSection.hidden = false;
    meta.textContent = `Contact ${detail.ContactId} · ${detail.State}` +
      `${detail.EndReason ? " (" + detail.EndReason + ")" : ""}` +
      ` · attributes ${JSON.stringify(detail.Attributes)}` +
      `${detail.HumanAgent ? " · answered by you" : " · scripted agent answering"}`;
    const atBottom = transcript.scrollTop + transcript.clientHeight >= transcript.scrollHeight - 4;
    transcript.replaceChildren(
      ...detail.Transcript.filter((item) => item.Type !== "MESSAGEMETADATA").map((item) => {
        const li = document.createElement("li");
        li.className = item.Type === "MESSAGE" ? item.ParticipantRole : "EVENT";
        li.dataset.role = item.ParticipantRole || "SYSTEM";
        li.textContent = item.Type === "MESSAGE" ? `${item.DisplayName}: ${describe(item)}` : describe(item);
        return li;
      }),
    );
    if (atBottom) transcript.scrollTop = transcript.scrollHeight;
    const ended = detail.State === "ENDED";
    for (const control of form.elements) control.disabled = ended;
    document.getElementById("take-over").disabled = ended || detail.HumanAgent;
    document.getElementById("end-chat").disabled = ended;
  }

  async function refresh() {
    try {
      const { contacts } = await api("/_emulator/contacts");
      renderChats(contacts);
      if (selected) renderChat(await api(`/_emulator/contacts/${encodeURIComponent(selected)}`));
    } catch (error) {
      status.textContent = `Could not refresh: ${error.message}`;
    }
  }

  function select(contactId) {
    selected = contactId;
    status.textContent = "";
    refresh();
  }

  const act = (path, body) => async () => {
    if (!selected) return;
    try {
      await api(`/_emulator/contacts/${encodeURIComponent(selected)}/${path}`, {
        method: "POST",
        body: JSON.stringify(body ?? {}),
      });
      status.textContent = "";
    } catch (error) {
      status.textContent = error.message;
    }
    refresh();
  };

  document.getElementById("take-over").addEventListener("click", act("takeover"));
  document.getElementById("end-chat").addEventListener("click", act("end"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const content = replyText.value.trim();
    if (!content) return;
    await act("messages", {
      content,
      contentType: replyMarkdown.checked ? "text/markdown" : "text/plain",
    })();
    replyText.value = "";
  });

  refresh();
  setInterval(refresh, 1000);
})();
