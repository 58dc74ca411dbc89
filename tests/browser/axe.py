"""An automated accessibility audit with axe-core (npm devDependency, pinned in package.json).

``Audit.check(page, name)`` runs axe-core on the page as it is now, against the WCAG 2.0/2.1 level A
and AA rules (the level the Dutch government requires: Besluit digitale toegankelijkheid overheid,
EN 301 549). ``Audit.assert_clean()`` fails when any page had a violation with impact *serious* or
*critical*, listing every violation (the moderate and minor ones too, for a human to weigh).

How axe gets into the page: ``page.evaluate`` of the file's source. That runs through the DevTools
protocol, which a Content Security Policy does not govern, so the page keeps the very CSP it has in
production (no ``unsafe-inline``; a ``<script>`` tag added to the page would be blocked) and the
flows around the audit still notice a script or style the CSP blocks. ``bypass_csp=True`` would have
worked as well, but it switches the CSP off for the whole browser context, flows included.

One thing axe itself would trip over: to read the page's CSS (its "cssom" preload, for the rule
css-orientation-lock) it copies every stylesheet with an ``@import`` rule into ``<style>`` elements of a
scratch document, and the page's CSP blocks those (style-src has no 'unsafe-inline'), so the console
showed CSP violations that were axe's own, not the page's: on every change form of the Django admin,
whose forms.css starts with ``@import url('widgets.css')``. On a page with such a stylesheet axe runs
without that preload (css-orientation-lock cannot tell there; it could not before either, its copies
being blocked); everywhere else it runs in full.
"""

import functools
import json
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = frozenset({"serious", "critical"})

# True when a stylesheet of the page imports another (axe's cssom preload would copy it into a blocked <style>).
_IMPORTS_CSS = """() => [...document.styleSheets].some((sheet) => {
  try {
    return [...sheet.cssRules].some((rule) => rule instanceof CSSImportRule);
  } catch {
    return false;
  }
})"""

_RUN = """async ([tags, preload]) => {
  const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
  if (!preload) options.preload = {assets: ["media"]};  // everything but the cssom
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


@functools.cache
def axe_source() -> str:
    """The source of axe.min.js; fails with a hint when ``npm ci`` (``make install``) has not run."""
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} ontbreekt: draai `npm ci` (make install) om axe-core te installeren.")
    return AXE_JS.read_text(encoding="utf-8")


class Audit:
    """Collects axe-core violations per page name: ``{name: [{id, impact, help, nodes}]}``."""

    def __init__(self) -> None:
        self.results: dict[str, list[dict]] = {}

    def check(self, page: Page, name: str) -> list[dict]:
        """Audit ``page`` now (the DOM as the user sees it, after any htmx swap); returns its violations."""
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source())
        violations = page.evaluate(_RUN, [WCAG_TAGS, not page.evaluate(_IMPORTS_CSS)])
        self.results[name] = violations
        return violations

    def blocking(self) -> dict[str, list[dict]]:
        """Only the serious and critical violations, per page."""
        found = {name: [v for v in found if v["impact"] in BLOCKING] for name, found in self.results.items()}
        return {name: found for name, found in found.items() if found}

    def report(self) -> str:
        """Every violation of every audited page, readable in a test failure."""
        lines = []
        for name, found in self.results.items():
            for v in found:
                lines.append(f"{name}: [{v['impact']}] {v['id']} – {v['help']}")
                lines.extend(f"    {node['target']}: {node['summary']}" for node in v["nodes"][:5])
        return "\n".join(lines) or "geen bevindingen"

    def assert_clean(self) -> None:
        assert self.results, "geen pagina's geaudit"
        assert not self.blocking(), f"axe-core vond ernstige toegankelijkheidsproblemen:\n{self.report()}"

    def dump(self, path: Path) -> None:
        """Write the results as JSON (for the report of a test run)."""
        path.write_text(json.dumps(self.results, indent=2, ensure_ascii=False), encoding="utf-8")
