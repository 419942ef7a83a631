"""``qcli generate OUT_DIR``: the files of every config template, kept in line with Qairon.

    qcli generate OUT_DIR [--template T]... [--as-of T] [--check]

Each template that has ``applies_to`` and ``path`` is rendered by the server
for every object it applies to (``GET /api/config_templates/<id>/generate``);
the files are written under ``OUT_DIR`` byte for byte as rendered (sorted,
ending with one newline), so the same data always gives the same tree. A
manifest, ``OUT_DIR/.qairon-generate.json``, lists the files qcli wrote with
their SHA-256; a file listed there that no template produces any more is
removed, and files qcli did not write are never touched. ``--check`` writes
nothing: it prints a unified diff of what would change and exits with
``STALE`` (9) when the tree is out of date — the CI gate of an IaC repository.
"""
import difflib
import hashlib
import json
import os
import sys
from pathlib import PurePosixPath

from qairon_qcli.client import Conflict, InvalidInput, QaironError, quote_id

MANIFEST = ".qairon-generate.json"


class WriteFailed(QaironError):
    """A generated file could not be written or removed (a folder in the way, no room)."""


def digest(text):
    """The SHA-256 of ``text`` as UTF-8, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def manifest_text(files):
    """The manifest of ``{path: text}``: sorted, stable JSON ending with a newline."""
    document = {"generated_by": "qcli generate",
                "files": {path: digest(text) for path, text in sorted(files.items())}}
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def checked_path(path):
    """A path from the server, refused unless it is relative and stays below OUT_DIR."""
    parts = PurePosixPath(path).parts
    if not path or path.startswith("/") or any(p in ("..", ".", "") for p in parts) \
            or path == MANIFEST:
        raise InvalidInput(f"the server gave the output path {path!r}; a generated path must "
                           f"be relative and stay below OUT_DIR")
    return str(PurePosixPath(*parts))


def _read(root, path):
    try:
        with open(os.path.join(root, path), encoding="utf-8", newline="") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (UnicodeDecodeError, IsADirectoryError):
        return ""


def previous_files(root):
    """The paths the last run recorded in OUT_DIR's manifest (empty without one)."""
    text = _read(root, MANIFEST)
    if not text:
        return []
    try:
        files = json.loads(text).get("files", {})
    except (ValueError, AttributeError):
        raise InvalidInput(f"{os.path.join(root, MANIFEST)} is not a manifest qcli wrote; "
                           f"move it away to start afresh") from None
    return sorted(checked_path(p) for p in files)


def plan(root, files):
    """``[(change, path, old, new)]`` turning the tree under ``root`` into ``files``.

    ``change`` is ``create``, ``update`` or ``remove``; the manifest is part of it.
    """
    wanted = dict(files)
    out = []
    for path in sorted(wanted):
        old = _read(root, path)
        if old != wanted[path]:
            out.append(("create" if old is None else "update", path, old, wanted[path]))
    for path in previous_files(root):
        if path not in wanted:
            old = _read(root, path)
            if old is not None:
                out.append(("remove", path, old, None))
    manifest, old = manifest_text(wanted), _read(root, MANIFEST)
    if old != manifest:
        out.append(("create" if old is None else "update", MANIFEST, old, manifest))
    return out


def unified(change, path, old, new):
    """The unified diff of one planned change (``/dev/null`` for a created or removed file)."""
    before = "/dev/null" if change == "create" else f"a/{path}"
    after = "/dev/null" if change == "remove" else f"b/{path}"
    return "".join(difflib.unified_diff((old or "").splitlines(keepends=True),
                                        (new or "").splitlines(keepends=True), before, after))


def _write(root, path, text):
    target = os.path.join(root, path)
    os.makedirs(os.path.dirname(target) or root, exist_ok=True)
    temporary = target + ".qcli-tmp"
    with open(temporary, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(temporary, target)


def _remove(root, path):
    os.remove(os.path.join(root, path))
    folder = os.path.dirname(path)
    while folder:
        try:
            os.rmdir(os.path.join(root, folder))
        except OSError:
            break
        folder = os.path.dirname(folder)


def apply(root, changes):
    """Carry out the planned ``changes`` under ``root`` (the manifest last)."""
    for change, path, _old, new in sorted(changes, key=lambda c: c[1] == MANIFEST):
        if change == "remove":
            _remove(root, path)
        else:
            _write(root, path, new)


class GenerateCommands:
    """``generate`` as a method of :class:`~qairon_qcli.controllers.QCLIController`."""

    def rendered_files(self, templates=None, progress=None):
        """``{path: text}`` of every template (all that generate files when none is named)."""
        if not templates:
            templates = [t["id"] for t in self.client.list(self._plural("config_template"))
                         if t.get("applies_to") and t.get("path")]
        files, owners = {}, {}
        for number, template in enumerate(sorted(set(templates)), 1):
            if progress:
                progress(number, len(set(templates)), template)
            answer = self.client.request("GET", self.client.url(
                self._plural("config_template"), quote_id(template), "generate"))
            for rendering in answer["renderings"]:
                path = checked_path(rendering["path"])
                if path in files:
                    raise Conflict(f"{path} is rendered by config_template {owners[path]!r} "
                                   f"and by {template!r}: give them different paths")
                files[path], owners[path] = rendering["text"], template
        return files

    def generate(self, out_dir, templates=None, check=False, stream=None, progress=None):
        """Render every template into ``out_dir``; returns the planned changes.

        With ``check``, nothing is written: the unified diff goes to ``stream``.
        """
        changes = plan(out_dir, self.rendered_files(templates, progress))
        stream = stream or sys.stdout
        if check:
            for change in changes:
                stream.write(unified(*change))
            return changes
        try:
            apply(out_dir, changes)
        except OSError as exc:
            raise WriteFailed(f"cannot write {exc.filename}: {exc.strerror}") from None
        for change, path, _old, _new in changes:
            if path != MANIFEST:
                stream.write(f"{change}\t{path}\n")
        return changes


def add_generate_context(contexts, common):
    """Add ``qcli generate`` to qcli's parser."""
    sub = contexts.add_parser(
        "generate", parents=[common], help="write the files of the config templates",
        description="render every config template with applies_to and path into OUT_DIR "
                    "(deterministic; files of earlier runs that no longer apply are removed, "
                    f"tracked in OUT_DIR/{MANIFEST}); --check writes nothing, prints the diff "
                    "and exits 9 when the tree is out of date")
    sub.add_argument("out_dir", metavar="OUT_DIR", help="the folder the files go to")
    sub.add_argument("--template", action="append", dest="templates", metavar="T",
                     help="only this config_template (repeatable)")
    sub.add_argument("--check", action="store_true",
                     help="write nothing; print a unified diff and exit 9 if anything differs")
    sub.set_defaults(handler=_generate)


def _generate(args, controller):
    from qairon_qcli.cli import ExitStatus
    stderr = sys.stderr
    progress = None
    if stderr.isatty():
        def progress(number, total, template):
            stderr.write(f"\rrendering {number}/{total}: {template}\033[K")
            if number == total:
                stderr.write("\n")
    stream = controller.output.stream if hasattr(controller.output, "stream") else None
    changes = controller.generate(args.out_dir, args.templates, args.check, stream, progress)
    if args.check and changes:
        return ExitStatus.STALE
    return None
