"""The LICENSES folder of the self-contained app: the notices of everything it ships.

After PyInstaller has built ``dist/photoscreen``, :func:`write_licenses` finds which
installed distributions ended up in the bundle (a distribution is shipped when one of its
top-level modules, files or folders is in it), copies each one's licence, copying and
notice files into ``LICENSES/<name>-<version>/``, adds Python's licence, PyInstaller's
(its bootloader starts the app) and the full texts of the licences a wheel names without
shipping (LGPL-3.0 and GPL-3.0 for Qt/PySide6, GPL-2.0 for the x265 that pillow-heif
bundles, Apache-2.0), the Debian copyright files of the build machine's own libraries that
PyInstaller copied in (``system-libraries/``), and writes ``LICENSES/README.txt``: one line
per component with its version and licence, and how Qt is shipped under the LGPL
(separate shared libraries that can be replaced).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
_NOTICE = re.compile(r"(licen[cs]e|copying|notice|authors|thirdparty|3rd-party)", re.IGNORECASE)
# Licence texts named by a wheel's metadata but not inside it (packaging/licence-texts/).
_TEXTS_FOR = {
    "pyside6-essentials": ("LGPL-3.0.txt", "GPL-3.0.txt"),
    "shiboken6": ("LGPL-3.0.txt", "GPL-3.0.txt"),
    "flatbuffers": ("Apache-2.0.txt",),
    # libheif and libde265 (LGPL-3.0), x265 (GPL-2.0): see its LICENSES_bundled.txt.
    "pillow-heif": ("LGPL-3.0.txt", "GPL-3.0.txt", "GPL-2.0.txt"),
}
PYINSTALLER_NOTE = """\
The executables are PyInstaller's bootloader, under the GPL-2.0-or-later with PyInstaller's
bootloader exception (in pyinstaller-*/), which allows distributing it with any program.
"""
SYSTEM_NOTE = """\
Libraries taken from the machine that built this folder (not from a Python package) are
listed below with the Debian package they came from; each one's copyright file is in
system-libraries/. Source code: https://sources.debian.org/ (package name as listed).
"""
QT_NOTE = """\
Qt and Qt for Python (PySide6, shiboken6) are used under the GNU Lesser General Public
License version 3 (LGPL-3.0, with the GPL-3.0 it refers to: both texts are in
pyside6-essentials-*/). They are shipped unmodified, as separate shared libraries in the
_internal folder (_internal/PySide6 and _internal/shiboken6; on Linux the Qt libraries
are in _internal/PySide6/Qt/lib), so you may replace them with your own build of the same
Qt version. Their source code is available from the Qt Company at
https://download.qt.io/official_releases/ (Qt) and
https://download.qt.io/official_releases/QtForPython/ (PySide6), and from
https://code.qt.io/. Qt's third-party components (ICU, FreeType, HarfBuzz, libpng, zlib,
PCRE2 and others) are listed in Qt's documentation under "Licenses Used in Qt".
"""


def write_licenses(bundle: Path, contents: set[str], binaries: dict[str, str]) -> Path:
    """Write ``bundle/LICENSES`` for the top-level names in ``contents`` and the shared
    libraries in ``binaries`` (bundle path -> where it was copied from); returns its path."""
    target = bundle / "LICENSES"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    lines = ["Components shipped in this folder, their versions and licences.", ""]
    for dist in shipped_distributions(contents):
        lines.append(_copy_notices(dist, target))
    lines.append(_copy_python_licence(target))
    lines += ["", QT_NOTE, PYINSTALLER_NOTE]
    lines += _system_libraries(binaries, target / "system-libraries")
    (target / "README.txt").write_text("\n".join(lines), encoding="utf-8")
    return target


def shipped_distributions(contents: set[str]) -> list[metadata.Distribution]:
    """Installed distributions one of whose top-level modules or files is in the bundle.

    ``contents`` is what the spec wrote to ``build/bundle-contents.txt``. PyInstaller's
    own distribution counts too: its bootloader is each executable. photoscreen, installed
    from source in editable mode, lists no files: it is always shipped.
    """
    shipped = {}
    for dist in metadata.distributions():
        name = _key(dist.metadata["Name"])
        if name in ("pyinstaller", "photoscreen") or _top_levels(dist) & contents:
            shipped[name] = dist
    return [shipped[name] for name in sorted(shipped)]


def _top_levels(dist: metadata.Distribution) -> set[str]:
    tops = set()
    for file in dist.files or []:
        parts = PurePosixPath(str(file)).parts
        if not parts or parts[0] in ("..", "__pycache__", "bin"):
            continue
        if parts[0].endswith((".dist-info", ".data")):
            continue
        tops.add(parts[0].split(".")[0] if len(parts) == 1 else parts[0])
    return tops


def _copy_notices(dist: metadata.Distribution, target: Path) -> str:
    name, version = _key(dist.metadata["Name"]), dist.version
    folder = target / f"{name}-{version}"
    folder.mkdir()
    for file in dist.files or []:
        path = PurePosixPath(str(file))
        if _NOTICE.search(path.name) and path.suffix not in (".py", ".pyc", ".pyi"):
            source = Path(str(dist.locate_file(file)))
            if source.is_file():
                shutil.copyfile(source, folder / _flat_name(path))
    for text in _TEXTS_FOR.get(name, ()):
        shutil.copyfile(HERE / "licence-texts" / text, folder / text)
    (folder / "METADATA.txt").write_text(_summary(dist), encoding="utf-8")
    return f"{name} {version}: {_licence_of(dist)}"


def _flat_name(path: PurePosixPath) -> str:
    """A file name that keeps where the notice was (numpy has several LICENSE.txt)."""
    parts = [p for p in path.parts if not p.endswith(".dist-info") and p != "licenses"]
    return "__".join(parts) or path.name


def _summary(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    urls = meta.get_all("Project-URL") or []
    fields = [
        f"Name: {meta['Name']}",
        f"Version: {dist.version}",
        f"Licence: {_licence_of(dist)}",
        f"Home page: {meta.get('Home-page') or (urls[0] if urls else 'not given')}",
    ]
    return "\n".join(fields) + "\n"


def _licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")
    ]
    declared = (meta.get("License") or "").strip().splitlines()
    first = declared[0].strip() if declared else ""
    return "; ".join(classifiers) or first or "see the files beside this one"


def _copy_python_licence(target: Path) -> str:
    version = f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    folder = target / f"python-{version}"
    folder.mkdir()
    candidates = [
        Path(sys.base_prefix) / "LICENSE.txt",
        Path(sys.base_prefix)
        / "lib"
        / f"python{sys.version_info.major}.{sys.version_info.minor}"
        / "LICENSE.txt",
    ]
    source = next((c for c in candidates if c.is_file()), None)
    if source is None:
        raise FileNotFoundError("Python's LICENSE.txt was not found beside this Python")
    shutil.copyfile(source, folder / "LICENSE.txt")
    return f"python {version}: PSF-2.0 (and the licences in its LICENSE.txt)"


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _system_libraries(binaries: dict[str, str], target: Path) -> list[str]:
    """Copyright files of the build machine's libraries in the bundle (Debian: dpkg).

    A library counts as the build machine's when it was copied from outside every Python
    installation (the venv, the base Python). Returns README lines.
    """
    pythons = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix)}
    system = {
        dest: source
        for dest, source in binaries.items()
        if not any(Path(source).resolve().is_relative_to(p) for p in pythons)
    }
    if not system:
        return []
    owners: dict[str, list[str]] = {}
    for dest, source in sorted(system.items()):
        owners.setdefault(_debian_package(source) or "", []).append(Path(dest).name)
    target.mkdir()
    lines = [SYSTEM_NOTE]
    for package, files in sorted(owners.items()):
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        if package and copyright_file.is_file():
            shutil.copyfile(copyright_file, target / f"{package}.txt")
            lines.append(f"{package}: {', '.join(files)}")
        else:
            lines.append(f"(package not known, see the library's own project): {', '.join(files)}")
    return lines


def _debian_package(source: str) -> str | None:
    """The Debian package that installed ``source``, or None (no dpkg, or no owner)."""
    dpkg = shutil.which("dpkg-query")
    if dpkg is None:
        return None
    for path in dict.fromkeys([source, str(Path(source).resolve())]):
        result = subprocess.run([dpkg, "-S", path], capture_output=True, text=True, check=False)
        if result.returncode == 0 and ":" in result.stdout:
            return result.stdout.split(":")[0].strip()
    return None
