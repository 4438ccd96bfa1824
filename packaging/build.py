"""Build the self-contained app: ``python3 run.py bundle`` runs this in the project's venv.

    python packaging/build.py          build dist/photoscreen, then print its size
    python packaging/build.py --size   only print the size of an existing dist/photoscreen

Steps: the demo's sample pictures are extracted from scikit-image into build/demo_pictures
(the app reads them from its own files, so scikit-image is not shipped); on Windows a
version resource is written; PyInstaller builds ``packaging/photoscreen.spec`` into
``dist/photoscreen``; ``LICENSES`` is written (see licenses.py); when the environment
variable ``PHOTOSCREEN_SIGN_COMMAND`` is set, each executable is signed with it (off by
default, see docs/packaging.md); the size and the largest parts are printed.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUILD = ROOT / "build"
BUNDLE = ROOT / "dist" / "photoscreen"
SIGN_ENV = "PHOTOSCREEN_SIGN_COMMAND"
MB = 1_000_000


def build() -> Path:
    """Build ``dist/photoscreen``; returns its path."""
    sys.path.insert(0, str(HERE))
    from licenses import write_licenses

    from photoscreen.core.demo.pictures import extract

    extract(BUILD / "demo_pictures")
    if sys.platform == "win32":
        _write_version_info(BUILD / "version_info.txt")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            "--distpath",
            str(ROOT / "dist"),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(HERE / "photoscreen.spec"),
        ],
        cwd=ROOT,
        check=True,
    )
    contents = set((BUILD / "bundle-contents.txt").read_text().split())
    lines = (BUILD / "bundle-binaries.txt").read_text().splitlines()
    binaries = dict(line.split("\t", 1) for line in lines if "\t" in line)
    write_licenses(BUNDLE, contents, binaries)
    _remove_dangling_links(BUNDLE)
    _strip_python(BUNDLE)
    _sign_executables(BUNDLE)
    return BUNDLE


def _remove_dangling_links(bundle: Path) -> None:
    """Remove the links PyInstaller made to libraries the spec left out on purpose.

    On Linux it links each wheel library into the top of ``_internal`` when it assembles
    the folder, also for ones ``bundle_parts`` dropped; such a link points nowhere. The
    smoke test checks that every library a binary needs is still found.
    """
    dangling = [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]
    for link in dangling:
        link.unlink()
    if dangling:
        print(f"removed {len(dangling)} links to libraries left out of the bundle", flush=True)


def _strip_python(bundle: Path) -> None:
    """On Linux, drop the debugging symbols of Python's own shared library and modules.

    A Python built from source (pyenv, python.org) keeps them (17 MB in libpython alone);
    Debian's is already stripped. Wheels' libraries are left as they come: auditwheel
    rewrote them with patchelf, and stripping such files can break them.
    """
    strip = shutil.which("strip")
    if sys.platform != "linux" or strip is None:
        return
    internal = bundle / "_internal"
    targets = [*internal.glob("libpython3*.so*"), *internal.glob("python3*/lib-dynload/*.so")]
    for path in targets:
        if path.is_file() and not path.is_symlink():
            subprocess.run([strip, "--strip-debug", str(path)], check=True)


def _sign_executables(bundle: Path) -> None:
    """Run ``$PHOTOSCREEN_SIGN_COMMAND FILE`` on each executable, when it is set."""
    command = os.environ.get(SIGN_ENV, "").strip()
    if not command:
        return
    for exe in sorted(bundle.glob("photoscreen*")):
        if exe.is_file():
            print(f"signing {exe.name}", flush=True)
            subprocess.run([*shlex.split(command, posix=os.name != "nt"), str(exe)], check=True)


def _write_version_info(path: Path) -> None:
    """A Windows version resource: who made the program, shown in its Properties."""
    from importlib.metadata import version

    numbers = [*(int(p) for p in version("photoscreen").split(".")[:3]), 0]
    dotted = ".".join(str(n) for n in numbers)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        (HERE / "version_info.txt.in")
        .read_text(encoding="utf-8")
        .replace("@TUPLE@", ", ".join(str(n) for n in numbers))
        .replace("@DOTTED@", dotted),
        encoding="utf-8",
    )


def size_report(bundle: Path, top: int = 12) -> str:
    """Total size of ``bundle`` on disk, its largest files and its largest parts."""
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    sizes = {p: p.stat().st_size for p in files}
    total = sum(sizes.values())
    parts: Counter[str] = Counter()
    for path, size in sizes.items():
        parts[_part_of(path.relative_to(bundle))] += size
    lines = [f"bundle: {bundle} -- {total / MB:.1f} MB in {len(files)} files"]
    lines.append("largest parts:")
    lines += [f"  {size / MB:7.1f} MB  {name}" for name, size in parts.most_common(top)]
    lines.append("largest files:")
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:top]
    lines += [f"  {size / MB:7.1f} MB  {p.relative_to(bundle)}" for p, size in largest]
    return "\n".join(lines)


def bundle_bytes(bundle: Path) -> int:
    """Bytes of every regular file in the bundle (what unpacking it writes)."""
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())


def _part_of(relative: Path) -> str:
    """The package or library family a bundle file belongs to (for the size report)."""
    parts = relative.parts
    if parts[0] != "_internal":
        return f"{parts[0]} (executable: bootloader and the Python code archive)"
    if len(parts) < 3:
        return "_internal (top-level libraries)"
    name = parts[1]
    return name[: -len(".libs")] + " (bundled system libraries)" if name.endswith(".libs") else name


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="store_true", help="only report the size")
    args = parser.parse_args(argv)
    bundle = BUNDLE if args.size else build()
    print(size_report(bundle))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
