#!/usr/bin/env python3
"""Audit the locked dependency set (requirements/constraints.txt) for known vulnerabilities (issue #7).

Runs ``pip-audit`` on the lock file exactly as written (``--disable-pip --no-deps``: every line is an
exact ``==`` pin that ``make lock`` produced with ``pip freeze``, so nothing needs resolving) against its
default vulnerability service, PyPI's JSON API (the Python Packaging Advisory Database; OSV is not
needed), and decides from its JSON report:

- a vulnerability with a fixed release fails the audit (exit 1): upgrade the pin to a fixed version;
- a vulnerability without any fixed release is reported as a warning and does not fail: there is
  nothing to upgrade to, and it needs an assessment instead (mitigate, accept, or replace the package);
- a dependency that could not be audited (``skip_reason``) fails the audit (exit 2), because an audit
  with holes would pass silently. When *every* dependency was skipped, the vulnerability data itself
  could not be reached (pip-audit reports each one as "not found on PyPI"); ``--allow-unavailable``
  turns that one case into a warning (exit 0) for machines without that data, such as this project's
  CI, whose network reaches PyPI's package index but not its per-release JSON.

pip-audit has no option to fail only on fixable vulnerabilities: it exits 1 on any vulnerability and 0
when it skipped everything. Hence this script. Sources: ASVS 4.0.3 V14.2.1 (components up to date,
checked in the build) and V14.2.4 (third-party components from trusted, maintained sources); BIO 12.6.1
(technical vulnerabilities are identified in time and acted upon).

Usage: ``python scripts/audit_dependencies.py [--requirement FILE] [--report FILE] [--allow-unavailable]``
(``make audit``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_REQUIREMENT = BASE_DIR / "requirements" / "constraints.txt"

EXIT_OK = 0
EXIT_FIXABLE = 1
EXIT_INCOMPLETE = 2


@dataclasses.dataclass(frozen=True)
class Finding:
    """One vulnerability of one pinned distribution: ``fix_versions`` lists the releases that fix it
    (strings as pip-audit reports them, oldest first), empty when there is none."""

    name: str
    version: str
    vulnerability_id: str
    fix_versions: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    description: str = ""

    @property
    def fixable(self) -> bool:
        return bool(self.fix_versions)

    def line(self) -> str:
        aliases = f" ({', '.join(self.aliases)})" if self.aliases else ""
        fix = f"fixed in {', '.join(self.fix_versions)}" if self.fix_versions else "no fixed release"
        return f"{self.name}=={self.version}: {self.vulnerability_id}{aliases}, {fix}"


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The decision on one pip-audit report: ``exit_code`` is 0 (pass), 1 (a fixable vulnerability) or
    2 (dependencies not audited); ``messages`` are the lines to print, errors before warnings."""

    audited: int
    fixable: tuple[Finding, ...]
    unfixable: tuple[Finding, ...]
    skipped: tuple[tuple[str, str], ...]
    service_unavailable: bool
    exit_code: int
    messages: tuple[str, ...]


def findings(report: dict[str, Any]) -> tuple[list[Finding], list[tuple[str, str]], int]:
    """Read pip-audit's JSON report (``{"dependencies": [{"name", "version", "vulns": [{"id",
    "fix_versions", "aliases"?, "description"?}]} | {"name", "skip_reason"}], "fixes": [...]}``, the shape
    of ``pip_audit._format.json.JsonFormat``) into findings, skipped ``(name, reason)`` pairs and the
    number of audited dependencies. Raises ``ValueError`` on a report without a ``dependencies`` list."""
    dependencies = report.get("dependencies")
    if not isinstance(dependencies, list):
        raise ValueError("not a pip-audit JSON report: no 'dependencies' list")
    found: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    audited = 0
    for dependency in dependencies:
        if "skip_reason" in dependency:
            skipped.append((dependency["name"], dependency["skip_reason"]))
            continue
        audited += 1
        for vulnerability in dependency.get("vulns", []):
            found.append(
                Finding(
                    name=dependency["name"],
                    version=dependency["version"],
                    vulnerability_id=vulnerability["id"],
                    fix_versions=tuple(vulnerability.get("fix_versions") or ()),
                    aliases=tuple(vulnerability.get("aliases") or ()),
                    description=vulnerability.get("description") or "",
                )
            )
    return found, skipped, audited


def decide(report: dict[str, Any], *, allow_unavailable: bool = False) -> Verdict:
    """Decide on a pip-audit JSON report (see ``findings``) as the module docstring says."""
    found, skipped, audited = findings(report)
    fixable = tuple(finding for finding in found if finding.fixable)
    unfixable = tuple(finding for finding in found if not finding.fixable)
    service_unavailable = bool(skipped) and audited == 0
    messages: list[str] = []
    messages += [f"ERROR: known vulnerability with a fixed release: {finding.line()}" for finding in fixable]
    if service_unavailable:
        level = "WARNING" if allow_unavailable else "ERROR"
        messages.append(
            f"{level}: none of the {len(skipped)} dependencies could be audited: the vulnerability data "
            f"(PyPI's JSON API per release) was not reachable from this machine ({skipped[0][1]})."
        )
    elif skipped:
        messages += [f"ERROR: not audited: {name}: {reason}" for name, reason in skipped]
    messages += [f"WARNING: known vulnerability without a fixed release (assess it): {finding.line()}" for finding in unfixable]
    if fixable:
        exit_code = EXIT_FIXABLE
    elif skipped and not (service_unavailable and allow_unavailable):
        exit_code = EXIT_INCOMPLETE
    else:
        exit_code = EXIT_OK
    if exit_code == EXIT_OK and audited:
        messages.append(f"OK: {audited} dependencies audited, none with a fixable known vulnerability.")
    return Verdict(
        audited=audited,
        fixable=fixable,
        unfixable=unfixable,
        skipped=tuple(skipped),
        service_unavailable=service_unavailable,
        exit_code=exit_code,
        messages=tuple(messages),
    )


def run_pip_audit(requirement: Path) -> dict[str, Any]:
    """Run pip-audit (this interpreter's) on ``requirement`` with the PyPI vulnerability service and
    return its JSON report. Raises ``RuntimeError`` when pip-audit itself failed (its exit code 1 only
    means that it found vulnerabilities)."""
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(requirement),
        "--disable-pip",
        "--no-deps",
        "--vulnerability-service",
        "pypi",
        "--format",
        "json",
        "--aliases",
        "on",
        "--desc",
        "on",
        "--progress-spinner",
        "off",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)  # noqa: S603 - fixed arguments
    if result.returncode not in (0, 1):
        raise RuntimeError(f"pip-audit failed (exit {result.returncode}):\n{result.stderr}")
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--requirement", type=Path, default=DEFAULT_REQUIREMENT, help="the lock file to audit")
    parser.add_argument("--report", type=Path, help="decide on this pip-audit JSON report instead of running pip-audit")
    parser.add_argument(
        "--allow-unavailable",
        action="store_true",
        help="pass (with a warning) when no dependency could be audited because the vulnerability data is unreachable",
    )
    arguments = parser.parse_args(argv)
    if arguments.report:
        report = json.loads(arguments.report.read_text(encoding="utf-8"))
    else:
        report = run_pip_audit(arguments.requirement)
    verdict = decide(report, allow_unavailable=arguments.allow_unavailable)
    for message in verdict.messages:
        print(message, file=sys.stderr if message.startswith(("ERROR", "WARNING")) else sys.stdout)
    return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main())
