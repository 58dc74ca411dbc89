"""The dependency audit's decision (scripts/audit_dependencies.py, issue #7): fail on a known
vulnerability with a fixed release, warn on one without, fail on dependencies that were not audited.

The reports are made by pip-audit's own JSON formatter from pip-audit's own result types, built the
way its PyPI service builds them (``VulnerabilityResult.create``), so the tests hold the script to
the JSON shape of the pinned pip-audit release rather than to a hand-written copy of it.
"""

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from packaging.version import Version
from pip_audit._format.json import JsonFormat
from pip_audit._service.interface import ResolvedDependency, SkippedDependency, VulnerabilityResult

from .helpers import BASE_DIR, run_python

SCRIPT = BASE_DIR / "scripts" / "audit_dependencies.py"
_spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
assert _spec and _spec.loader
audit = importlib.util.module_from_spec(_spec)
sys.modules["audit_dependencies"] = audit  # dataclasses resolve their module by name
_spec.loader.exec_module(audit)


def vulnerability(identifier: str, *fixed_in: str, alias: str = "CVE-2099-0001") -> VulnerabilityResult:
    return VulnerabilityResult.create(
        ids=[identifier, alias],
        description="Een beschrijving\nover twee regels.",
        fix_versions=sorted(Version(version) for version in fixed_in),
        published=None,
    )


def report(*entries) -> dict:
    """A pip-audit JSON report of ``entries``: ``(name, version, [vulnerabilities])`` or
    ``(name, skip_reason)``."""
    result = {}
    for entry in entries:
        if len(entry) == 2:
            result[SkippedDependency(name=entry[0], skip_reason=entry[1])] = []
        else:
            result[ResolvedDependency(name=entry[0], version=Version(entry[1]))] = entry[2]
    return json.loads(JsonFormat(output_desc=True, output_aliases=True).format(result, []))


def not_found(name: str, version: str) -> tuple[str, str]:
    return (name, f"Dependency not found on PyPI and could not be audited: {name} ({version})")


def test_the_report_shape_is_pip_audits():
    shape = report(("Django", "5.2.1", [vulnerability("PYSEC-2099-1", "5.2.2", "4.2.30")]), not_found("amqp", "5.4.2"))
    assert shape["dependencies"][0] == {
        "name": "django",
        "version": "5.2.1",
        "vulns": [
            {
                "id": "PYSEC-2099-1",
                "fix_versions": ["4.2.30", "5.2.2"],
                "aliases": ["CVE-2099-0001"],
                "description": "Een beschrijving\nover twee regels.",
            }
        ],
    }
    assert shape["dependencies"][1] == {"name": "amqp", "skip_reason": not_found("amqp", "5.4.2")[1]}


def test_a_clean_report_passes():
    verdict = audit.decide(report(("django", "5.2.19", []), ("redis", "8.1.0", [])))
    assert verdict.exit_code == 0
    assert verdict.audited == 2
    assert verdict.messages == ("OK: 2 dependencies audited, none with a fixable known vulnerability.",)


def test_a_vulnerability_with_a_fixed_release_fails():
    verdict = audit.decide(
        report(("django", "5.2.1", [vulnerability("PYSEC-2099-1", "5.2.2")]), ("redis", "8.1.0", [])),
        allow_unavailable=True,
    )
    assert verdict.exit_code == 1
    assert [finding.name for finding in verdict.fixable] == ["django"]
    assert verdict.messages[0] == (
        "ERROR: known vulnerability with a fixed release: django==5.2.1: PYSEC-2099-1 (CVE-2099-0001), fixed in 5.2.2"
    )


def test_a_vulnerability_without_a_fixed_release_only_warns():
    verdict = audit.decide(report(("ecdsa", "0.19.1", [vulnerability("GHSA-wj6h-64fc-37mp")]), ("redis", "8.1.0", [])))
    assert verdict.exit_code == 0
    assert verdict.fixable == ()
    assert [finding.vulnerability_id for finding in verdict.unfixable] == ["CVE-2099-0001"]
    assert "WARNING: known vulnerability without a fixed release (assess it): ecdsa==0.19.1" in verdict.messages[0]
    assert "no fixed release" in verdict.messages[0]


def test_fixable_and_unfixable_together_fail_and_report_both():
    verdict = audit.decide(
        report(
            ("ecdsa", "0.19.1", [vulnerability("GHSA-wj6h-64fc-37mp", alias="CVE-2099-0002")]),
            ("urllib3", "2.0.0", [vulnerability("GHSA-aaaa-bbbb-cccc", "2.0.7", alias="CVE-2099-0003")]),
        )
    )
    assert verdict.exit_code == 1
    assert [message.split(":")[0] for message in verdict.messages] == ["ERROR", "WARNING"]


def test_a_dependency_that_was_not_audited_fails_even_when_unavailability_is_allowed():
    verdict = audit.decide(report(("django", "5.2.19", []), not_found("private-package", "1.0")), allow_unavailable=True)
    assert verdict.exit_code == 2
    assert verdict.service_unavailable is False
    assert verdict.messages == (f"ERROR: not audited: private-package: {not_found('private-package', '1.0')[1]}",)


def test_nothing_audited_fails_unless_unavailability_is_allowed():
    unreachable = report(not_found("django", "5.2.19"), not_found("redis", "8.1.0"))
    strict = audit.decide(unreachable)
    assert strict.exit_code == 2
    assert strict.service_unavailable is True
    assert strict.messages[0].startswith("ERROR: none of the 2 dependencies could be audited")
    allowed = audit.decide(unreachable, allow_unavailable=True)
    assert allowed.exit_code == 0
    assert allowed.messages[0].startswith("WARNING: none of the 2 dependencies could be audited")


def test_a_report_without_dependencies_is_refused():
    with pytest.raises(ValueError, match="not a pip-audit JSON report"):
        audit.decide({"fixes": []})


def test_the_command_line_decides_on_a_saved_report(tmp_path: Path):
    saved = tmp_path / "pip-audit.json"
    saved.write_text(json.dumps(report(("django", "5.2.1", [vulnerability("PYSEC-2099-1", "5.2.2")]))))
    result = run_python([str(SCRIPT), "--report", str(saved)], {"PATH": ""})
    assert result.returncode == 1
    assert "ERROR: known vulnerability with a fixed release: django==5.2.1" in result.stderr


def test_pip_audit_runs_on_a_pinned_file_with_the_scripts_options(tmp_path: Path):
    """The real pip-audit of the lock, on one pin: the options the script passes are valid for the pinned
    pip-audit, and its report is one the script reads. The outcome depends on the network (this CI's
    proxy serves no per-release JSON, so the pin is skipped there); only the shape is asserted."""
    pinned = tmp_path / "constraints.txt"
    pinned.write_text("# one pin\nsqlparse==0.6.1\n")
    _found, skipped, audited = audit.findings(audit.run_pip_audit(pinned))
    assert audited + len(skipped) == 1
    assert [name for name, _ in skipped] in ([], ["sqlparse"])
