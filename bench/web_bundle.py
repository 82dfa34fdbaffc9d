"""JS shipped (gzip) for the web app's first patient page (`/`, the doctor search): the entry
script plus the chunks it imports statically and the search page's lazy chunk, read from the
Vite build (`make web`). Usage: python -m bench.web_bundle"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

BUILD = Path(__file__).resolve().parents[1] / "router" / "static" / "web"
BUDGET = 200 * 1024


def _imports(chunk: Path) -> set[str]:
    text = chunk.read_text(encoding="utf-8")
    return set(re.findall(r"""(?:from|import)\s*["']\./([\w.-]+\.js)["']""", text))


def first_page_chunks() -> list[Path]:
    index = (BUILD / "index.html").read_text(encoding="utf-8")
    entry = re.search(r'src="/assets/([\w.-]+\.js)"', index)
    assert entry, "no entry script in index.html"
    assets = BUILD / "assets"
    search = next(assets.glob("SearchPage-*.js"))
    seen: set[str] = set()
    todo = [entry.group(1), search.name]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(_imports(assets / name))
    return sorted(assets / name for name in seen)


def main() -> None:
    chunks = first_page_chunks()
    total = 0
    for chunk in chunks:
        size = len(gzip.compress(chunk.read_bytes(), 9))
        total += size
        print(f"{size / 1024:8.1f} KB  {chunk.name}")
    verdict = "within" if total <= BUDGET else "OVER"
    print(f"{total / 1024:8.1f} KB  gzip JS, first patient page ({verdict} the 200 KB budget)")


if __name__ == "__main__":
    main()
