"""Smoke test of the BUILT app (dist/photoscreen), the same script on Linux and Windows.

    python packaging/smoke.py [BUNDLE]       (``python3 run.py smoke`` runs it)

Run with the build environment's Python, which makes the input files (Pillow, piexif,
pillow-heif) and records the decisions of a small folder (photoscreen's session API);
everything checked runs in the bundle's own executables, started with no Python
variables set, from a temporary folder:

- on Linux, every library each binary links to is found (``ldd``) and no link is broken;
- the bundle holds no build or test tools, no scikit-image, scipy or ffmpeg; it holds
  every model file photoscreen's dependencies ship, and a LICENSES folder with Qt's LGPL;
- ``verify`` says a JPEG, a PNG and a HEIC photo with a GPS position carry identifying
  data (exit 1) and that clean ones are clean (exit 0): Pillow's PNG and pillow-heif's
  HEIC plugins are found inside the bundle;
- ``status`` lists a decided folder, ``export`` exports it (files written), and ``verify``
  finds the exported files clean;
- the window program started plainly is still running after 20 s (offscreen, fresh
  profile); ``photoscreen --self-test`` draws the window offscreen, opens the demo
  folder, finds the faces and quits with status 0;
- nothing was written into the bundle's folder (it may be read-only once installed).

Prints one line per check and ends with "N passed, N failed"; exit status 1 on any failure.
"""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import piexif
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bundle_parts  # noqa: E402

WINDOWS = sys.platform == "win32"
TIMEOUT_S = 600
WINDOW_WAIT_S = 20.0
GPS = {
    piexif.GPSIFD.GPSLatitudeRef: b"N",
    piexif.GPSIFD.GPSLatitude: ((52, 1), (57, 1), (1300, 100)),
    piexif.GPSIFD.GPSLongitudeRef: b"W",
    piexif.GPSIFD.GPSLongitude: ((1, 1), (9, 1), (180, 100)),
}


class Smoke:
    """Runs the bundle's executables and counts what passed."""

    def __init__(self, bundle: Path, work: Path) -> None:
        suffix = ".exe" if WINDOWS else ""
        self.bundle = bundle
        self.work = work
        self.gui = bundle / f"photoscreen{suffix}"
        # The Windows window program has no console; its verbs run through the CLI one.
        self.cli = bundle / ("photoscreen-cli.exe" if WINDOWS else "photoscreen")
        self.passed = 0
        self.failed = 0

    def run(self, exe: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["PYTHONIOENCODING"] = "utf-8"
        return subprocess.run(
            [str(exe), *map(str, args)],
            cwd=self.work,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT_S,
            check=False,
        )

    def check(self, what: str, ok: bool, detail: str = "") -> None:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)
        if detail and not ok:
            print("     " + detail.strip().replace("\n", "\n     "), flush=True)

    def expect(
        self,
        what: str,
        args: list[str | Path],
        status: int,
        says: str = "",
        exe: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        result = self.run(exe or self.cli, *args)
        output = result.stdout + result.stderr
        ok = result.returncode == status and says.lower() in output.lower()
        self.check(f"{what} (exit {result.returncode}, expected {status})", ok, output)
        return result


def _picture(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    rng = np.random.default_rng(seed)
    ramp = np.linspace(0, 255, size[0], dtype=np.float32)[None, :, None]
    noise = rng.normal(0, 20, (size[1], size[0], 3))
    return Image.fromarray(np.clip(ramp + noise, 0, 255).astype(np.uint8))


def _exif(gps: bool) -> bytes:
    block: dict[str, object] = {"0th": {piexif.ImageIFD.Make: b"SmokeCam"}}
    if gps:
        block["GPS"] = GPS
    return bytes(piexif.dump(block))


def make_inputs(folder: Path) -> dict[str, Path]:
    """A photo with GPS and a clean one in each of JPEG, PNG and HEIC."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    folder.mkdir()
    made = {}
    for index, (fmt, suffix) in enumerate((("JPEG", "jpg"), ("PNG", "png"), ("HEIF", "heic"))):
        for gps in (True, False):
            path = folder / f"{'gps' if gps else 'clean'}.{suffix}"
            extra = {"exif": _exif(gps)} if gps else {}
            _picture(index * 2 + gps).save(path, fmt, **extra)
            made[path.name] = path
    return made


def make_decided_folder(folder: Path) -> int:
    """Three photos (two JPEGs, one with GPS, and a PNG), each tagged and checked."""
    from photoscreen.core.imaging.loading import photo_hash
    from photoscreen.core.session import Session

    folder.mkdir()
    for seed, name in enumerate(("IMG_0001.JPG", "IMG_0002.JPG", "drawing.png")):
        picture = _picture(100 + seed, (640, 480))
        buffer = io.BytesIO()
        fmt = "PNG" if name.endswith(".png") else "JPEG"
        picture.save(buffer, fmt, **({"exif": _exif(True)} if seed == 1 else {}))
        (folder / name).write_bytes(buffer.getvalue())
    with Session.open(folder, "Smoke Test") as session:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                data = path.read_bytes()
                with Image.open(path) as image:
                    size, fmt = image.size, image.format or ""
                digest = photo_hash(data)
                session.record_scan(path, digest, *size, fmt, [], "smoke-test")
                session.set_activity(digest, "messy_play")
                session.set_faces_checked(digest)
    return 3


def check_contents(smoke: Smoke) -> None:
    internal = smoke.bundle / "_internal"
    present = sorted(n for n in bundle_parts.FORBIDDEN_TOP_LEVEL if (internal / n).exists())
    smoke.check(
        "no test tools, scikit-image, scipy or ffmpeg in the bundle", not present, str(present)
    )
    missing = [
        f"{folder}/{Path(source).name}"
        for source, folder in bundle_parts.model_files()
        if not (internal / folder / Path(source).name).is_file()
    ]
    smoke.check(
        f"model files in the bundle ({len(bundle_parts.model_files())})", not missing, str(missing)
    )
    readme = smoke.bundle / "LICENSES" / "README.txt"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    lgpl = list((smoke.bundle / "LICENSES").glob("pyside6-essentials-*/LGPL-3.0.txt"))
    smoke.check("LICENSES lists Qt under the LGPL with its text", "LGPL" in text and bool(lgpl))


def check_links(smoke: Smoke) -> None:
    """Linux: no link points nowhere, and every library each binary needs is found.

    Run statically on every ELF file, because at run time a missing library can hide
    behind a copy of the same name that another module happened to load first.
    """
    if not sys.platform.startswith("linux"):
        return
    internal = smoke.bundle / "_internal"
    dangling = [str(p.relative_to(smoke.bundle)) for p in internal.rglob("*") if p.is_symlink()]
    dangling = [p for p in dangling if not (smoke.bundle / p).exists()]
    smoke.check("no link in the bundle points to a missing file", not dangling, str(dangling))
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal))
    missing = set()
    for path in internal.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.read_bytes()[:4] == b"\x7fELF":
            out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
            for line in out.stdout.splitlines():
                if "not found" in line:
                    missing.add(f"{path.relative_to(internal)}: {line.split()[0]}")
    smoke.check("every shared library each binary links to is found", not missing, str(missing))


def check_verify(smoke: Smoke, inputs: dict[str, Path]) -> None:
    for name, path in inputs.items():
        if name.startswith("gps"):
            smoke.expect(f"verify {name}: GPS found", ["verify", path], 1, "GPS")
        else:
            smoke.expect(f"verify {name}: clean", ["verify", path], 0, "clean")


def check_export(smoke: Smoke, folder: Path, count: int) -> None:
    smoke.expect("status of the decided folder", ["status", folder], 0, f"{count} ready")
    out = smoke.work / "exported"
    smoke.expect("export of the decided folder", ["export", folder, "--to", out], 0)
    written = sorted(p for p in out.glob("*") if p.is_file() and p.suffix.lower() == ".jpg")
    smoke.check(f"export wrote {len(written)} photo(s), expected {count}", len(written) == count)
    if written:
        smoke.expect("verify of the exported photos: clean", ["verify", *written], 0, "clean")


def check_window_starts(smoke: Smoke) -> None:
    """The plain start (no arguments) is still running after a while, offscreen, with a
    fresh user profile (it waits for the first-start question: the user's name)."""
    profile = smoke.work / "profile"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(profile),
        XDG_CONFIG_HOME=str(profile / "config"),
        XDG_DATA_HOME=str(profile / "data"),
        APPDATA=str(profile / "roaming"),
        LOCALAPPDATA=str(profile / "local"),
    )
    process = subprocess.Popen(
        [str(smoke.gui)], cwd=smoke.work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        output, _ = process.communicate(timeout=WINDOW_WAIT_S)
        smoke.check("the window starts and stays open", False, output.decode(errors="replace"))
    except subprocess.TimeoutExpired:
        smoke.check(f"the window starts and stays open ({WINDOW_WAIT_S:.0f} s)", True)
    finally:
        process.kill()
        process.communicate()


def check_self_test(smoke: Smoke) -> None:
    result = smoke.run(smoke.gui, "--self-test")
    print(result.stdout.rstrip(), flush=True)
    smoke.check(
        f"--self-test (exit {result.returncode})", result.returncode == 0, result.stderr[-3000:]
    )
    # The bundle runs the model on the library the source would (ONNX Runtime when the
    # build environment has it), not silently on the OpenCV fallback.
    backend = "onnxruntime" if importlib.util.find_spec("onnxruntime") else "opencv"
    smoke.check(
        f"the face model runs on {backend} in the bundle",
        f"face detector: {backend}," in result.stdout,
    )
    # Writing (name labels, plates) is looked for in the bundle too: its model was found.
    if importlib.util.find_spec("rapidocr_onnxruntime"):
        smoke.check(
            "the writing model is in the bundle", "writing detector: PP-OCRv4" in result.stdout
        )


def tree(bundle: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(bundle)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in bundle.rglob("*")
        if p.is_file()
    }


def main(argv: list[str]) -> int:
    bundle = Path(argv[0]) if argv else HERE.parent / "dist" / "photoscreen"
    bundle = bundle.resolve()
    if not (bundle / "_internal").is_dir():
        print(f"No bundle at {bundle}: build it first (python3 run.py bundle).")
        return 2
    before = tree(bundle)
    with tempfile.TemporaryDirectory(prefix="photoscreen-smoke-") as scratch:
        smoke = Smoke(bundle, Path(scratch))
        steps: list[Callable[[], None]] = [
            lambda: check_contents(smoke),
            lambda: check_links(smoke),
            lambda: check_verify(smoke, make_inputs(smoke.work / "inputs")),
            lambda: check_export(
                smoke, smoke.work / "decided", make_decided_folder(smoke.work / "decided")
            ),
            lambda: check_window_starts(smoke),
            lambda: check_self_test(smoke),
        ]
        for step in steps:
            step()
    smoke.check("nothing written into the bundle's folder", tree(bundle) == before)
    print(f"smoke: {smoke.passed} passed, {smoke.failed} failed")
    return 0 if smoke.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
