"""The crash store (crashes/) and atomic file writes.

Nothing found is lost and nothing is half-written: every file is written
to a temporary file beside it and renamed into place; a new crash folder
is staged as DIR/.<id>.tmp.XXXXXX and renamed to DIR/<id>; writers take an
flock on DIR/.lock. A folder, once filed, is never rewritten by a campaign
(docs/CRASHES.md, "The crash store"): what a campaign learns about it
(times seen, last seen, a smaller input) goes into the campaign's own
folder, so that a committed crash store stays as it was.
"""
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time


def now_iso():
    """The time now, UTC, as 2026-12-06T07:44:50Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def sha1_file(path):
    """The SHA-1 of a file's contents, read in 64 KiB blocks."""
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def listdir(d):
    """The names in folder D; none when it cannot be read."""
    try:
        return os.listdir(d)
    except OSError:
        return []


def atomic_write(path, data, mode=0o644):
    """Write data (bytes or str) to path through a temporary file."""
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) +
                               ".tmp.", dir=d)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_copy(src, dst):
    with open(src, "rb") as f:
        atomic_write(dst, f.read())


def write_json(path, obj):
    atomic_write(path, json.dumps(obj, indent=2) + "\n")


def read_text(path):
    """PATH's text (UTF-8, bad bytes replaced), or "" when it cannot be
    read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def read_json(path, default=None):
    try:
        with open(path, "r", encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def crash_input(folder):
    """The input a crash folder's replays use: its minimised input, else
    its input; None when it has neither."""
    path = os.path.join(folder, "minimized")
    if os.path.isfile(path) and os.path.getsize(path) > 0:
        return path
    path = os.path.join(folder, "input")
    return path if os.path.isfile(path) else None


class LockTimeout(Exception):
    pass


@contextlib.contextmanager
def locked(directory, timeout=600):
    """Hold an exclusive flock on DIRECTORY/.lock."""
    os.makedirs(directory, exist_ok=True)
    fd = os.open(os.path.join(directory, ".lock"),
                 os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        end = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= end:
                    raise LockTimeout("%s/.lock: not free within %d s" %
                                      (directory, timeout))
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)


class CrashStore:
    """crashes/: one folder per signature (or group of unreproducible
    crashes), holding at least meta.json."""

    def __init__(self, root):
        self.root = os.path.abspath(root)

    def path(self, folder):
        return os.path.join(self.root, folder)

    def exists(self, folder):
        return os.path.isfile(os.path.join(self.root, folder, "meta.json"))

    def meta(self, folder):
        return read_json(os.path.join(self.root, folder, "meta.json"))

    def folders(self):
        """Every filed folder (with a meta.json), sorted."""
        try:
            names = os.listdir(self.root)
        except FileNotFoundError:
            return []
        return sorted(n for n in names
                      if not n.startswith(".") and self.exists(n))

    def _clean_stale(self):
        # Staged folders of an interrupted writer; none can be live, as
        # every writer holds the lock.
        for name in os.listdir(self.root):
            if name.startswith(".") and ".tmp." in name:
                p = os.path.join(self.root, name)
                if os.path.isdir(p):
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(p)

    def create(self, folder, files, meta):
        """File a new folder: files maps a name (may contain '/') to a
        source path (copied) or to bytes (the contents); meta is written as meta.json. Returns False, and
        writes nothing, when the folder exists already."""
        with locked(self.root):
            self._clean_stale()
            dest = self.path(folder)
            if os.path.exists(dest):
                return False
            stage = tempfile.mkdtemp(prefix="." + folder + ".tmp.",
                                     dir=self.root)
            try:
                for name, src in files.items():
                    target = os.path.join(stage, name)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    if isinstance(src, bytes):
                        with open(target, "wb") as f:
                            f.write(src)
                    else:
                        shutil.copyfile(src, target)
                    os.chmod(target, 0o644)
                with open(os.path.join(stage, "meta.json"), "w") as f:
                    f.write(json.dumps(meta, indent=2) + "\n")
                os.chmod(os.path.join(stage, "meta.json"), 0o644)
                for dirpath, dirnames, _ in os.walk(stage):
                    for d in dirnames:
                        os.chmod(os.path.join(dirpath, d), 0o755)
                os.chmod(stage, 0o755)
                os.rename(stage, dest)
            except BaseException:
                shutil.rmtree(stage, ignore_errors=True)
                raise
            return True
