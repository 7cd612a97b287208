"""The widget's branding in the stack's `widget` config: the rules and config.json's `theme`.

The site applies the same rules (site/src/chat/branding.js); tests/vectors/widget-branding.json
holds the cases both sides are tested against, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .config_error import ArgumentError

POSITIONS = ("right", "left")
WIDTH_BOUNDS = (300, 640)
HEIGHT_BOUNDS = (400, 900)
DISPLAY_NAME_ROLES = ("agent", "bot", "system")
DISPLAY_NAME_MAX = 64
# WCAG 2.x AA for normal text.
AA_CONTRAST = 4.5
BRANDING_KEYS = frozenset(
    {"primaryColor", "logo", "fontFamily", "fontUrl", "position", "width", "height", "displayNames"}
)

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
# A CSS font stack: names, quotes, commas; no ; { } ( ), so it can only ever be a font-family.
_FONT_STACK = re.compile(r"[A-Za-z0-9 ,'\"_-]{1,200}")
# A file shipped with the site, as a root-relative path (the site CSP's 'self').
_SITE_PATH = re.compile(r"/(?!/)[A-Za-z0-9._~/-]{1,200}")
_FONT_FILE = re.compile(r"\.woff2?\Z")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    n = int(hex_colour[1:], 16)
    return (
        0.2126 * _channel((n >> 16) & 255)
        + 0.7152 * _channel((n >> 8) & 255)
        + 0.0722 * _channel(n & 255)
    )


def contrast_ratio(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(background: str) -> str:
    """White or black, whichever contrasts more: what the widget's theme puts on the colour."""
    white, black = contrast_ratio(background, "#ffffff"), contrast_ratio(background, "#000000")
    return "#ffffff" if white >= black else "#000000"


def primary_colour_problem(colour: object) -> str | None:
    if not isinstance(colour, str) or not _COLOR.fullmatch(colour):
        return "must be a #rrggbb colour"
    text = text_colour_on(colour)
    ratio = contrast_ratio(colour, text)
    if ratio < AA_CONTRAST:
        name = "black" if text == "#000000" else "white"
        return f"gives {name} text a contrast of {ratio:.2f}:1, below WCAG AA's {AA_CONTRAST}:1"
    return None


def _position_problem(value: object) -> str | None:
    return None if value in POSITIONS else f"must be one of {', '.join(POSITIONS)}"


def whole_number(value: object) -> object:
    """An integer written with a fraction (90.0) as the integer; anything else unchanged.

    JSON has one number type: a TypeScript or YAML program's 90 reaches the component as 90.0
    (Pulumi's wire format), and config.json's schema accepts it likewise.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _size_problem(value: object, bounds: tuple[int, int]) -> str | None:
    low, high = bounds
    value = whole_number(value)
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return None
    return f"must be a whole number of pixels from {low} to {high}"


def _logo_problem(value: object) -> str | None:
    rule = "must be an https:// URL or a path of a file shipped with the site (/logo.svg)"
    if not isinstance(value, str):
        return rule
    if _SITE_PATH.fullmatch(value):
        return None
    parts = urlsplit(value)
    return None if parts.scheme == "https" and parts.netloc and value.isprintable() else rule


def _font_family_problem(value: object) -> str | None:
    if isinstance(value, str) and _FONT_STACK.fullmatch(value) and value.strip():
        return None
    return "must be a CSS font stack of at most 200 characters (names, quotes, commas)"


def _font_url_problem(value: object) -> str | None:
    if isinstance(value, str) and _SITE_PATH.fullmatch(value) and _FONT_FILE.search(value):
        return None
    return "must be the path of a .woff2 or .woff file shipped with the site (/fonts/brand.woff2)"


def _display_name_problem(value: object) -> str | None:
    if isinstance(value, str) and value.strip() and len(value) <= DISPLAY_NAME_MAX:
        return None
    return f"must be a non-empty string of at most {DISPLAY_NAME_MAX} characters"


@dataclass(frozen=True)
class Branding:
    primary_color: str = "#1f4fd1"
    logo: str | None = None
    font_family: str | None = None
    font_url: str | None = None
    position: str = "right"
    width: int = 380
    height: int = 600
    display_names: dict[str, str] = field(default_factory=dict)

    def as_theme(self, title: str) -> dict[str, Any]:
        """config.json's `theme` (docs/architecture.md): only what is set, besides the defaults."""
        theme: dict[str, Any] = {
            "title": title,
            "primaryColor": self.primary_color,
            "position": self.position,
            "width": self.width,
            "height": self.height,
        }
        optional = {"logo": self.logo, "fontFamily": self.font_family, "fontUrl": self.font_url}
        theme.update({key: value for key, value in optional.items() if value is not None})
        if self.display_names:
            theme["displayNames"] = dict(self.display_names)
        return theme


def parse_branding(value: dict[str, Any], key: str = "widget") -> Branding:
    """The branding keys of the `widget` object; each failure names `widget.<key>` and the rule."""
    defaults = Branding()

    def checked(name: str, problem: str | None, default: Any) -> Any:
        if name not in value:
            return default
        if problem:
            raise ArgumentError(f"{key}.{name}", value[name], problem)
        return value[name]

    get = value.get
    colour = checked(
        "primaryColor", primary_colour_problem(get("primaryColor")), defaults.primary_color
    )
    font_family = checked("fontFamily", _font_family_problem(get("fontFamily")), None)
    font_url = checked("fontUrl", _font_url_problem(get("fontUrl")), None)
    if font_url is not None and font_family is None:
        raise ArgumentError(
            f"{key}.fontUrl", font_url, f"needs {key}.fontFamily (its first family names the file)"
        )
    names = value.get("displayNames", {})
    if not isinstance(names, dict):
        raise ArgumentError(f"{key}.displayNames", names, "must be an object")
    for role, name in names.items():
        if role not in DISPLAY_NAME_ROLES:
            raise ArgumentError(
                f"{key}.displayNames.{role}", name, f"is not one of {', '.join(DISPLAY_NAME_ROLES)}"
            )
        problem = _display_name_problem(name)
        if problem:
            raise ArgumentError(f"{key}.displayNames.{role}", name, problem)
    return Branding(
        primary_color=colour,
        logo=checked("logo", _logo_problem(get("logo")), None),
        font_family=font_family,
        font_url=font_url,
        position=checked("position", _position_problem(get("position")), defaults.position),
        # Checked as whole numbers, so int() only drops a ".0".
        width=int(checked("width", _size_problem(get("width"), WIDTH_BOUNDS), defaults.width)),
        height=int(checked("height", _size_problem(get("height"), HEIGHT_BOUNDS), defaults.height)),
        display_names=dict(names),
    )
