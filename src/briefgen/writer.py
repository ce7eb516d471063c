"""Write one brief's outputs atomically: all new files appear at once, or none do."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from briefgen.errors import OutputError


def _safe_relative(name: str) -> PurePosixPath:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise OutputError(f"refusing to write '{name}' outside the output folder")
    return relative


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


def write_outputs(out_dir: Path, slug: str, files: dict[str, bytes]) -> Path:
    """Replace `out_dir/slug` with exactly `files`; on failure the old folder stays as it was."""
    relative_slug = _safe_relative(slug)
    if len(relative_slug.parts) != 1:
        raise OutputError(f"slug '{slug}' is not a single folder name")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out_dir}: {exc.strerror}") from None
    final = out_dir / slug
    if final.is_symlink() or (final.exists() and not final.is_dir()):
        raise OutputError(
            f"{final} is a link or a file, not an output folder",
            hint="remove it, then render again",
        )
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{slug}.new-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"cannot write into {out_dir}: {exc.strerror}") from None
    retired: Path | None = None
    try:
        for name, body in files.items():
            target = staging.joinpath(*_safe_relative(name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(body)
                handle.flush()
                os.fsync(handle.fileno())
        if final.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{slug}.old-", dir=out_dir))
            os.replace(final, retired / slug)
        os.replace(staging, final)
        _fsync_dir(out_dir)
    except OSError as exc:
        if retired is not None and (retired / slug).exists() and not final.exists():
            os.replace(retired / slug, final)
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
