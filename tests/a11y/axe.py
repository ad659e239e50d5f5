"""axe-core in a real Chromium: the pinned npm package (package.json, installed by
`make install-dev` with `npm ci`), read from node_modules and injected by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 8).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n")[1]),
  }));
}"""


def axe_script() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install-dev` (npm ci installs the pinned axe-core)")
    return AXE.read_text(encoding="utf-8")


def audit(page) -> list[dict]:
    """The serious and critical axe violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_script())
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]


def describe(found: dict[str, list[dict]]) -> str:
    """One line per problem and element, with the pages it is on (the footer is on all)."""
    where: dict[str, list[str]] = {}
    for name, violations in found.items():
        for violation in violations:
            for node in violation["nodes"]:
                where.setdefault(f"{violation['id']} ({violation['impact']}): {node}", []).append(name)
    return "\n".join(f"{problem}\n    on: {', '.join(names)}" for problem, names in where.items())
