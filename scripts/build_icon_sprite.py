"""Write app/static/icons/sprite.svg: only the Bootstrap icons the site uses.

bootstrap-flask ships all ~2,000 Bootstrap icons in one 1.1 MB sprite; a page needs a
dozen. This script finds the icon names in the templates and scripts —
`render_icon('name')`, `{% set icon = 'name' %}` and `data-icon="name"` — and copies
those <symbol>s from the package's sprite. Run it after using a new icon (`make icons`);
tests/main/test_assets.py fails while the committed sprite misses one.

    .venv/bin/python scripts/build_icon_sprite.py [--check]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import flask_bootstrap

ROOT = Path(__file__).resolve().parent.parent
SPRITE = ROOT / "app" / "static" / "icons" / "sprite.svg"
SOURCE = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5" / "icons" / "bootstrap-icons.svg"
USES = [
    re.compile(r"""render_icon\(\s*['"]([a-z0-9-]+)['"]"""),
    re.compile(r"""\bset\s+icon\s*=\s*['"]([a-z0-9-]+)['"]"""),
    re.compile(r"""data-icon=['"]([a-z0-9-]+)['"]"""),
]
SYMBOL = re.compile(r'<symbol [^>]*id="([a-z0-9-]+)"[^>]*>.*?</symbol>', re.S)


def used_icons() -> set[str]:
    """Icon names in app/templates/**/*.html and app/static/js/*.js."""
    files = [*(ROOT / "app" / "templates").rglob("*.html"), *(ROOT / "app" / "static" / "js").glob("*.js")]
    names: set[str] = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in USES:
            names.update(pattern.findall(text))
    return names


def build(names: set[str]) -> str:
    symbols = {match.group(1): match.group(0) for match in SYMBOL.finditer(SOURCE.read_text(encoding="utf-8"))}
    missing = sorted(names - symbols.keys())
    if missing:
        raise SystemExit(f"not Bootstrap icons: {', '.join(missing)}")
    body = "\n".join(symbols[name] for name in sorted(names))
    return f'<svg xmlns="http://www.w3.org/2000/svg">\n{body}\n</svg>\n'


def main() -> int:
    sprite = build(used_icons())
    if "--check" in sys.argv:
        current = SPRITE.read_text(encoding="utf-8") if SPRITE.exists() else ""
        if current != sprite:
            print(f"{SPRITE.relative_to(ROOT)} is out of date: run scripts/build_icon_sprite.py", file=sys.stderr)
            return 1
        return 0
    SPRITE.parent.mkdir(parents=True, exist_ok=True)
    SPRITE.write_text(sprite, encoding="utf-8")
    print(f"{SPRITE.relative_to(ROOT)}: {sprite.count('<symbol')} icons, {len(sprite.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
