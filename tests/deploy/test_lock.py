"""The lock file pins everything (issue #7; ASVS 4.0.3 V14.2.5 — an inventory of the components in use,
V10.3.2 — no unexpected code). ``make lock`` writes requirements/constraints.txt with ``pip freeze`` and
``make install`` installs with ``-c`` it: a dependency that is installed but not pinned there, or
installed in another version, would make the next installation differ from this one unnoticed.
"""

import importlib.metadata
import re
import subprocess
import sys

from packaging.utils import canonicalize_name

from .helpers import BASE_DIR

CONSTRAINTS = BASE_DIR / "requirements" / "constraints.txt"
# What ``pip freeze`` leaves out by default: the installers themselves, which the venv brings along.
INSTALLER_TOOLS = {"pip", "setuptools", "wheel", "distribute"}
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;#]+)\s*$")


def pins() -> dict[str, str]:
    """``{canonical name: version}`` of requirements/constraints.txt; every non-comment line must be an
    exact pin (``name==version``), or this fails."""
    pinned: dict[str, str] = {}
    for number, line in enumerate(CONSTRAINTS.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"constraints.txt:{number} is not an exact pin: {line!r}"
        name = canonicalize_name(match["name"])
        assert name not in pinned, f"constraints.txt:{number} pins {name} a second time"
        pinned[name] = match["version"]
    return pinned


def installed() -> dict[str, str]:
    """``{canonical name: version}`` of the distributions installed in this interpreter's environment."""
    return {
        canonicalize_name(distribution.metadata["Name"]): distribution.version
        for distribution in importlib.metadata.distributions()
        if canonicalize_name(distribution.metadata["Name"]) not in INSTALLER_TOOLS
    }


def test_every_installed_distribution_is_pinned_in_constraints_txt():
    pinned = pins()
    unpinned = sorted(f"{name}=={version}" for name, version in installed().items() if name not in pinned)
    assert unpinned == [], f"installed but not pinned in requirements/constraints.txt: {unpinned}"


def test_every_installed_distribution_has_its_pinned_version():
    pinned = pins()
    differing = sorted(
        f"{name}: installed {version}, pinned {pinned[name]}"
        for name, version in installed().items()
        if name in pinned and version != pinned[name]
    )
    assert differing == []


def test_pip_check_finds_no_broken_requirements():
    result = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No broken requirements found." in result.stdout


def test_the_pins_cover_the_top_level_requirements():
    """Each requirement named in requirements/base.txt and dev.txt has a pin (extras stripped)."""
    pinned = pins()
    missing = []
    for path in (BASE_DIR / "requirements" / "base.txt", BASE_DIR / "requirements" / "dev.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith("-"):
                continue
            name = canonicalize_name(re.split(r"[\[<>=!~; ]", line, maxsplit=1)[0])
            if name not in pinned:
                missing.append(f"{path.name}: {name}")
    assert missing == []
