// Applies config.theme while keeping WCAG AA contrast: text on the primary colour switches
// between white and black, whichever contrasts more (always at least 4.5:1).

function channel(value) {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance(hex) {
  const n = Number.parseInt(hex.slice(1), 16);
  return (
    0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
  );
}

export function contrastRatio(a, b) {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// With pure black and white one of the two always reaches at least 4.58:1, whatever the
// background, so any configured colour can keep AA text.
export const DARK_TEXT = "#000000";

/**
 * The text colour to put on `background`: white or black, whichever contrasts more. White's
 * ratio 1.05 / (L + 0.05) is at least black's (L + 0.05) / 0.05 exactly when L + 0.05 <=
 * sqrt(0.0525): the same choice without computing either ratio (the loader ships this, and
 * its bytes count).
 */
export function textColourOn(background) {
  return relativeLuminance(background) <= Math.sqrt(0.0525) - 0.05 ? "#ffffff" : DARK_TEXT;
}

/**
 * The primary colour used for links and borders on the white panel: darkened in steps until
 * it reaches 4.5:1 against white.
 */
export function accentOnWhite(hex) {
  let n = Number.parseInt(hex.slice(1), 16);
  let colour = hex;
  for (let i = 0; i < 20 && contrastRatio(colour, "#ffffff") < 4.5; i++) {
    const r = Math.floor(((n >> 16) & 255) * 0.85);
    const g = Math.floor(((n >> 8) & 255) * 0.85);
    const b = Math.floor((n & 255) * 0.85);
    n = (r << 16) | (g << 8) | b;
    colour = `#${n.toString(16).padStart(6, "0")}`;
  }
  return colour;
}

export function applyTheme(root, theme) {
  root.style.setProperty("--primary", theme.primaryColor);
  root.style.setProperty("--on-primary", textColourOn(theme.primaryColor));
  root.style.setProperty("--accent", accentOnWhite(theme.primaryColor));
}
