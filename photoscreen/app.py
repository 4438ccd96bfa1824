"""The entry point: parses the command line and builds what each command needs.

The window's parts are made and wired by its composition root,
:func:`photoscreen.ui.window.startup.build_window`.

    photoscreen [FOLDER] [--demo]          open the window (on FOLDER, or the demo folder)
    photoscreen --self-test                check this installation works, unattended
    photoscreen verify PATH...             check image files for identifying metadata
    photoscreen status FOLDER [--json]     list each photo's status and reasons
    photoscreen export FOLDER --to DIR [--only-new]   export the eligible photos, headless
    photoscreen consent list|add|withdraw|never-publish|import   the consent register
    photoscreen takedown PERSON [--json]   every exported photo showing a person

The headless commands never import Qt, so they work on a machine without a display.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

COMMANDS = ("verify", "status", "export", "consent", "takedown")


def _command_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="photoscreen",
        description="Make photos of children safe to post: headless commands.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    from photoscreen.commands.verify import DESCRIPTION

    verify = sub.add_parser(
        "verify", help="check image files for identifying metadata", description=DESCRIPTION
    )
    verify.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    status = sub.add_parser("status", help="list each photo's status and what blocks it")
    status.add_argument("folder", type=Path)
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    export = sub.add_parser("export", help="export eligible photos using the decisions made")
    export.add_argument("folder", type=Path)
    export.add_argument("--to", dest="destination", type=Path, required=True, metavar="DIR")
    export.add_argument("--user", default=None, help="name recorded in the audit trail")
    export.add_argument(
        "--only-new", action="store_true", help="skip photos exported before (to any folder)"
    )
    from photoscreen.commands.consent import add_parsers

    add_parsers(sub)
    return parser


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="photoscreen",
        description="Make photos of children safe to post on social media. "
        f"Headless commands: {', '.join(COMMANDS)} (see 'photoscreen COMMAND --help').",
    )
    parser.add_argument("folder", nargs="?", type=Path, help="folder of photos to open")
    parser.add_argument("--demo", action="store_true", help="open a folder of sample photos")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation: draw the window (offscreen), open a copy of the "
        "sample photos, find their faces, then quit; exit status 0 when all went well",
    )
    return parser


def run_command(argv: list[str]) -> int:
    """Run one of the headless commands; returns its exit status."""
    args = _command_parser().parse_args(argv)
    from photoscreen.core.storage import default_centre_path

    # The centre's settings on this PC: what a folder not yet set up starts from.
    centre_file = default_centre_path()
    if args.command == "verify":
        from photoscreen.commands import verify

        return verify.run(args.paths, sys.stdout)
    if args.command == "status":
        from photoscreen.commands import status

        return status.run(args.folder, as_json=args.json, out=sys.stdout, centre_file=centre_file)
    if args.command in ("consent", "takedown"):
        import getpass

        from photoscreen.commands import consent

        return consent.run(args, sys.stdout, centre_file, getpass.getpass)
    from photoscreen.commands import export

    return export.run(
        args.folder,
        args.destination,
        user=args.user,
        out=sys.stdout,
        centre_file=centre_file,
        only_new=args.only_new,
    )


def run_window(argv: list[str]) -> int:
    """Open the window; Qt is imported only here."""
    args = _window_parser().parse_args(argv)
    if args.self_test:
        from photoscreen.ui.window import run_self_test

        return run_self_test()
    from photoscreen.core.storage import default_centre_path
    from photoscreen.ui.window import start_window

    return start_window(
        folder=args.folder,
        demo=args.demo,
        argv=sys.argv[:1],
        centre_file=default_centre_path(),
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        # The windowed Windows executable has no console: print to the one it was
        # typed in, if any (the verbs, help, errors, the self-test's lines).
        from photoscreen.windows_console import attach_parent_console

        attach_parent_console()
    if argv and argv[0] in COMMANDS:
        return run_command(argv)
    return run_window(argv)
