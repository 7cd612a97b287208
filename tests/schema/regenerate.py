"""Rewrites provider/schema.json from the analyzer: `.venv/bin/python -m tests.schema.regenerate`.

Run it after changing ConnectChat's arguments or outputs, review the diff (it is the public
interface of every generated SDK) and commit it with the change.
"""

from __future__ import annotations

from .package_schema import SCHEMA_FILE, inferred_schema, render


def main() -> None:
    SCHEMA_FILE.write_text(render(inferred_schema()), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE.relative_to(SCHEMA_FILE.parents[1])}")


if __name__ == "__main__":
    main()
