"""Write one brief's outputs atomically: all new files appear at once, or none do.

At every instant `out/<slug>/` is whole: the old folder or the new one, never a mix and never
missing, even if the process is killed (`kill -9`, Ctrl-C, power loss after fsync). The new
folder is staged beside it as `.<slug>.new-*` and swapped in with one `renameat2(RENAME_EXCHANGE)`
on Linux (two renames elsewhere, where a crash between them can leave `out/<slug>` missing
until the next run). Writers into one output folder take turns (a lock on the folder), and
each run first removes what a killed run left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from briefgen.errors import OutputError

#: Files fsynced at once.
_SYNC_THREADS = 8
#: What a killed run leaves in an output folder: a staged or a retired brief folder.
_LEFTOVER = re.compile(r"\.(?P<slug>.+)\.(?:new|old)-[A-Za-z0-9_]+")
#: Called with the output folder when another process is writing into it and this one waits.
OnWait = Callable[[Path], None]
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_UMASK_LOCK = threading.Lock()
#: Output folders this process has cleaned of a killed run's leftovers.
_CLEANED: set[str] = set()


def _umask() -> int:
    """The process's umask (reading it means setting it: done under a lock)."""
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _linux_call(name: str) -> Any | None:
    """A function of the C library on Linux, or None (another system, or no such function)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None


def _errno() -> int:
    import ctypes

    return ctypes.get_errno()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux `renameat2(RENAME_EXCHANGE)`); False when this
    system or file system cannot."""
    renameat2 = _linux_call("renameat2")
    if renameat2 is None:
        return False
    import ctypes

    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    errno = _errno()
    import errno as errnos

    if errno in (errnos.ENOSYS, errnos.EINVAL, errnos.ENOTSUP):
        return False
    raise OSError(errno, os.strerror(errno), str(b))


@contextlib.contextmanager
def output_lock(out_dir: Path, on_wait: OnWait | None = None) -> Iterator[None]:
    """Hold the lock on `out_dir` (an flock on the folder itself, so no lock file is left):
    one writer at a time per output folder; `on_wait` is called once if another holds it."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): writers are not serialised
        yield
        return
    try:
        fd = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise OutputError(f"cannot open output folder {out_dir}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(out_dir)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass  # a file system without locks: go on unserialised
        yield
    finally:
        os.close(fd)  # releases the lock


def clean_leftovers(out_dir: Path) -> list[Path]:
    """Remove the staged and retired folders a killed run left in `out_dir` (call it holding
    `output_lock`: then no live writer has any). Returns what was removed."""
    removed: list[Path] = []
    try:
        names = os.listdir(out_dir)
    except OSError:
        return removed
    for name in names:
        if _LEFTOVER.fullmatch(name):
            path = out_dir / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def _safe_relative(name: str) -> PurePosixPath:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise OutputError(f"refusing to write '{name}' outside the output folder")
    return relative


def _relatives(slug: str, files: dict[str, bytes]) -> dict[str, PurePosixPath]:
    """Each file's path inside the brief's folder; refuses a slug or name that leaves it."""
    relative_slug = _safe_relative(slug)
    if len(relative_slug.parts) != 1 or slug.startswith("."):
        raise OutputError(f"slug '{slug}' is not a single folder name")
    return {name: _safe_relative(name) for name in files}


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_all(paths: list[Path]) -> None:
    """fsync each file, several at once: the file system commits them together."""

    def sync(path: Path) -> None:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    if len(paths) < 2:
        for path in paths:
            sync(path)
        return
    with ThreadPoolExecutor(max_workers=min(_SYNC_THREADS, len(paths))) as pool:
        for _ in pool.map(sync, paths):  # re-raises the first OSError
            pass


def _unchanged(final: Path, files: dict[str, bytes]) -> tuple[dict[str, tuple[int, int]], bool]:
    """Which of `files` are in `final` already, byte for byte, as regular files (with their
    device and inode); and whether `final` holds exactly `files` and nothing else."""
    same: dict[str, tuple[int, int]] = {}
    others = False
    expected_dirs = {str(parent) for name in files for parent in PurePosixPath(name).parents} - {
        "."
    }
    for top, dirs, names in os.walk(final):
        relative_top = os.path.relpath(top, final)
        for name in dirs:
            relative = name if relative_top == "." else f"{relative_top}/{name}"
            if os.path.islink(os.path.join(top, name)) or relative not in expected_dirs:
                others = True
        for name in names:
            relative = name if relative_top == "." else f"{relative_top}/{name}"
            body = files.get(relative)
            try:
                fd = os.open(os.path.join(top, name), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            except OSError:
                others = True
                continue
            with open(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if (
                    body is not None
                    and stat.S_ISREG(info.st_mode)
                    and info.st_size == len(body)
                    and handle.read(len(body) + 1) == body
                ):
                    same[relative] = (info.st_dev, info.st_ino)
                else:
                    others = True
    return same, not others and same.keys() == files.keys()


def _linked(existing: Path, target: Path, inode: tuple[int, int]) -> bool:
    """Hard-link `existing` as `target` if it is still the file that was compared."""
    try:
        os.link(existing, target, follow_symlinks=False)
    except OSError:
        return False  # no hard links on this file system, or the file went: write it
    info = os.lstat(target)
    if (info.st_dev, info.st_ino) == inode:
        return True
    os.unlink(target)  # replaced since it was compared
    return False


def write_outputs(
    out_dir: Path,
    slug: str,
    files: dict[str, bytes],
    on_wait: OnWait | None = None,
    *,
    sync: bool = True,
) -> Path:
    """Replace `out_dir/slug` with exactly `files`; on failure the old folder stays as it was.

    Files already there with the same bytes are linked into the new folder rather than written
    again, and a folder that already holds exactly `files` is left as it is: either way every
    file is on disk (fsync) before this returns. Folders follow the umask, like files.

    `sync=False` leaves the fsyncs to one `sync_outputs(out_dir)` after a batch (one sync of
    the file system instead of several per brief). The swap stays atomic for every reader and
    against a killed process; only a crash of the machine before that sync can lose what was
    written since the last one.
    """
    _relatives(slug, files)  # refused before anything is created
    with writing(out_dir, on_wait):
        return swap_in(stage_outputs(out_dir, slug, files, sync=sync), sync=sync)


@contextlib.contextmanager
def writing(out_dir: Path, on_wait: OnWait | None = None) -> Iterator[None]:
    """Create `out_dir`, hold its lock and clean what a killed run left there: what
    `stage_outputs` and `swap_in` need around them (a batch holds it once for all briefs).
    Folders it created are removed again if nothing was written into them."""
    created = [folder for folder in (out_dir, *out_dir.parents) if not folder.exists()]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out_dir}: {exc.strerror}") from None
    try:
        with output_lock(out_dir, on_wait):
            key = os.path.realpath(out_dir)
            if key not in _CLEANED:  # once per process and folder: a batch lists it once
                clean_leftovers(out_dir)
                _CLEANED.add(key)
            yield
    finally:
        for folder in created:  # innermost first; stops at the first one holding anything
            try:
                folder.rmdir()
            except OSError:
                break


@dataclass(frozen=True)
class Staged:
    """A brief's new outputs written beside its folder, ready to be swapped in; `staging` is
    None when the folder already holds exactly those files."""

    final: Path
    staging: Path | None


def stage_outputs(out_dir: Path, slug: str, files: dict[str, bytes], *, sync: bool) -> Staged:
    """Write `files` into a new `.<slug>.new-*` folder of `out_dir` (the slow part of writing,
    which batch workers do in parallel); the caller holds `writing(out_dir)`, possibly in
    another process, and then calls `swap_in` or `discard`."""
    relatives = _relatives(slug, files)
    final = out_dir / slug
    if final.is_symlink() or (final.exists() and not final.is_dir()):
        raise OutputError(
            f"{final} is a link or a file, not an output folder",
            hint="remove it, then render again",
        )
    same, identical = _unchanged(final, files) if final.is_dir() else ({}, False)
    if identical:
        try:
            if sync:
                _fsync_all([final.joinpath(*relatives[name].parts) for name in files])
            return Staged(final, None)
        except OSError:
            same = {}  # write them afresh below
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{slug}.new-", dir=out_dir))
        os.chmod(staging, 0o777 & ~_umask())
    except OSError as exc:
        raise OutputError(f"cannot write into {out_dir}: {exc.strerror}") from None
    try:
        written = []
        for name, body in files.items():
            parts = relatives[name].parts
            target = staging.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            if name in same and _linked(final.joinpath(*parts), target, same[name]):
                written.append(target)
                continue
            with open(target, "wb") as handle:
                handle.write(body)
            written.append(target)
        if sync:
            _fsync_all(written)
            _fsync_dir(staging)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(
            f"writing {final} failed: {exc.strerror or exc}",
            hint="the previous outputs were left as they were",
        ) from None
    return Staged(final, staging)


def discard(staged: Staged) -> None:
    """Remove staged outputs that will not be swapped in."""
    if staged.staging is not None:
        shutil.rmtree(staged.staging, ignore_errors=True)


def swap_in(staged: Staged, *, sync: bool) -> Path:
    """Put staged outputs in place of the brief's folder in one atomic step."""
    final, staging = staged.final, staged.staging
    if staging is None:
        return final
    out_dir, slug = final.parent, final.name
    retired: Path | None = None
    try:
        if final.exists() and _exchange(staging, final):
            retired = staging  # now holds the old outputs
        else:
            if final.exists():  # no atomic swap here: two renames
                retired = Path(tempfile.mkdtemp(prefix=f".{slug}.old-", dir=out_dir))
                os.replace(final, retired / slug)
            os.replace(staging, final)
        if sync:
            _fsync_dir(out_dir)
    except OSError as exc:
        if retired is not None and (retired / slug).exists() and not final.exists():
            os.replace(retired / slug, final)
        if retired is not staging:
            shutil.rmtree(staging, ignore_errors=True)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
        raise OutputError(
            f"writing {final} failed: {exc.strerror or exc}",
            hint="the previous outputs were left as they were",
        ) from None
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
    return final


def sync_outputs(out_dir: Path) -> None:
    """Commit everything written into `out_dir` to disk at once (`syncfs` of its file system
    on Linux, else `sync`): what a batch calls after `write_outputs(..., sync=False)`."""
    try:
        fd = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise OutputError(f"cannot open output folder {out_dir}: {exc.strerror}") from None
    try:
        if not _syncfs(fd):
            os.sync()
    except OSError as exc:
        raise OutputError(
            f"writing {out_dir} to disk failed: {exc.strerror or exc}",
            hint="check the disk; render again to write the outputs afresh",
        ) from None
    finally:
        os.close(fd)


def _syncfs(fd: int) -> bool:
    """`syncfs(fd)`: True when done, False when this system has no syncfs."""
    syncfs = _linux_call("syncfs")
    if syncfs is None:
        return False
    import ctypes

    syncfs.argtypes = [ctypes.c_int]
    if syncfs(fd) == 0:
        return True
    errno = _errno()
    raise OSError(errno, os.strerror(errno))
