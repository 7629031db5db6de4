"""The bundled catalogue validated once: its validated data kept in the user's cache folder, keyed by a hash of the file, and loaded later without validating it again.

The key covers the catalogue's bytes (SHA-256) and everything that decides what
validation makes of them (the files of the catalogue models and the vocabulary,
by size and modification time; the versions of needlematch, pydantic and Python),
so an edited catalogue, or a catalogue read by changed code, misses the cache and
is validated in full. The copy is plain data written with `marshal` (which runs no
code when read), one file per installed copy of needlematch, only read when it is
the user's own and nobody else may write it, and replaced whole, never edited in
place. When the folder cannot be used, every run validates, as before.

Only the bundled catalogue is kept: `--catalogue` or $NEEDLEMATCH_CATALOGUE is
validated every time. $NEEDLEMATCH_CACHE chooses the folder; set empty, no copy is
read or written.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from needlematch import __version__

if TYPE_CHECKING:
    from needlematch.catalogue import Catalogue

CACHE_ENV = "NEEDLEMATCH_CACHE"
# One file per installed copy of needlematch (by where its code is), so two copies,
# say a checkout and an installed wheel, do not keep replacing each other's.
_PACKAGE = os.path.dirname(os.path.abspath(__file__))
FILE_NAME = f"bundled-catalogue-{hashlib.sha256(_PACKAGE.encode()).hexdigest()[:16]}.marshal"

# Bump when the layout of the cached file changes.
_FORMAT = b"needlematch-catalogue-cache 1\n"


def cache_folder() -> Path | None:
    """$NEEDLEMATCH_CACHE (None when it is set empty), else the platform's user cache folder."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen.strip() else None
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        return None  # no home folder: validate every time
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local") / "needlematch" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "needlematch"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else home / ".cache") / "needlematch"


# The code that decides what validation makes of the catalogue's bytes. A change to
# any of these files (its size or modification time, as Python's own bytecode cache
# checks its sources) is a miss.
_CODE = ("catalogue.py", "vocabulary.py", "catalogue_cache.py", "trusted.py", "limits.py")


def cache_key(catalogue_bytes: bytes) -> bytes:
    """The hash a cached copy must carry to stand for these catalogue bytes, as this code reads them."""
    import pydantic.version

    digest = hashlib.sha256(_FORMAT)
    for part in (__version__, pydantic.version.VERSION, sys.version, str(marshal.version)):
        digest.update(part.encode() + b"\0")
    for module in _CODE:
        try:
            status = os.stat(os.path.join(_PACKAGE, module))
            digest.update(f"{module} {status.st_size} {status.st_mtime_ns}\0".encode())
        except OSError:
            digest.update(f"{module} missing\0".encode())
    digest.update(catalogue_bytes)
    return digest.hexdigest().encode()


def read_cached(key: bytes) -> Catalogue | None:
    """The catalogue cached under `key`, rebuilt without validation; None on any miss."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        with open(folder / FILE_NAME, "rb") as stream:
            if not _trusted(stream.fileno()):
                return None
            data = stream.read()
    except OSError:
        return None
    header = _FORMAT + key + b"\n"
    if not data.startswith(header):
        return None
    try:
        dump = marshal.loads(data[len(header) :])
    except (EOFError, ValueError, TypeError):
        return None
    from needlematch.catalogue import Catalogue
    from needlematch.trusted import rebuilder

    try:
        return rebuilder(Catalogue)(dump)
    except (KeyError, TypeError, AttributeError):
        return None  # not what this code writes: validate instead


def write_cached(key: bytes, catalogue: Catalogue) -> None:
    """Keep the validated `catalogue` under `key`, replacing any older copy; never fails."""
    folder = cache_folder()
    if folder is None:
        return
    try:
        payload = marshal.dumps(catalogue.model_dump(exclude_unset=True))
    except ValueError:
        return  # something marshal cannot write: no copy, validation every time
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".bundled-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(_FORMAT + key + b"\n" + payload)
            os.replace(temporary, folder / FILE_NAME)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass  # a read-only or full disk: the next run validates again


def _trusted(descriptor: int) -> bool:
    """Whether an open cached file is the user's own and nobody else may write it (POSIX)."""
    if not hasattr(os, "getuid"):
        return True
    status = os.fstat(descriptor)
    return status.st_uid == os.getuid() and not status.st_mode & 0o022
