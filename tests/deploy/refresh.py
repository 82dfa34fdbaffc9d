"""Regenerate the configuration reference in the repository from the declarations in code.

    .venv/bin/python -m tests.deploy.refresh

writes `.env.example` and the table between the configuration-table markers of
`deploy/README.md` (and of `README.md` once a table has been pasted there).
"""

from __future__ import annotations

import re
from pathlib import Path

from healthbook import configuration

REPO = Path(__file__).resolve().parents[2]
START, END = "<!-- configuration-table:start -->", "<!-- configuration-table:end -->"
_BLOCK = re.compile(re.escape(START) + r"\n(?P<table>.*?)" + re.escape(END), re.DOTALL)
TABLE_FILES = ("deploy/README.md", "README.md")


def table_in(text: str) -> str | None:
    """The table between the markers (None without markers)."""
    match = _BLOCK.search(text)
    return None if match is None else match["table"]


def with_table(text: str, table: str) -> str:
    return _BLOCK.sub(lambda _: f"{START}\n{table}{END}", text)


def main() -> None:
    (REPO / ".env.example").write_text(configuration.env_example(), encoding="utf-8")
    table = configuration.markdown_table()
    for name in TABLE_FILES:
        path = REPO / name
        current = table_in(path.read_text(encoding="utf-8")) if path.exists() else None
        if current or (current is not None and name == TABLE_FILES[0]):
            path.write_text(with_table(path.read_text(encoding="utf-8"), table), "utf-8")
            print(f"wrote the table into {name}")
    print("wrote .env.example")


if __name__ == "__main__":
    main()
