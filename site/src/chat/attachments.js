// Amazon Connect chat attachment limits (admin guide, "Enable attachments"): 20 MB per file
// and a fixed list of file types; Connect rejects anything else after the upload.
import { t } from "../i18n/index.js";

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
export const ALLOWED_EXTENSIONS = Object.freeze([
  "csv",
  "doc",
  "docx",
  "heic",
  "jfif",
  "jpeg",
  "jpg",
  "mov",
  "mp4",
  "pdf",
  "png",
  "ppt",
  "pptx",
  "rtf",
  "txt",
  "wav",
  "xls",
  "xlsx",
]);

/** @returns {string|null} a message saying why the file cannot be sent, or null when it can. */
export function attachmentProblem(file) {
  if (!file) return t("attachment.none");
  const extension = (file.name.split(".").pop() ?? "").toLowerCase();
  if (!file.name.includes(".") || !ALLOWED_EXTENSIONS.includes(extension)) {
    return t("attachment.badType", { name: file.name, types: ALLOWED_EXTENSIONS.join(", ") });
  }
  if (file.size === 0) return t("attachment.empty", { name: file.name });
  if (file.size > MAX_ATTACHMENT_BYTES) {
    return t("attachment.tooLarge", { name: file.name });
  }
  return null;
}

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
