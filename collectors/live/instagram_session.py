"""Reading an instaloader session file without trusting it.

instaloader saves a login as a pickled ``dict`` of cookies (``instaloader --login USER``). Unpickling
can run arbitrary code, so only plain data is accepted: any class reference in the file is refused,
and the result must be a mapping of cookie names to strings holding a session.
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path

MAX_SESSION_FILE_BYTES = 1024 * 1024
REQUIRED_COOKIES = ("sessionid", "csrftoken")


class SessionFileProblem(ValueError):
    """The session file is missing, unreadable or not an instaloader session."""


class _PlainDataUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"refusing {module}.{name}: a session file holds plain cookies only")


def read_session_cookies(path: Path) -> dict[str, str]:
    """The cookies of an instaloader session file, checked to be strings and to hold a login."""
    try:
        with open(path, "rb") as session_file:
            data = session_file.read(MAX_SESSION_FILE_BYTES + 1)
    except OSError as exc:
        raise SessionFileProblem(f"cannot read the session file {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_SESSION_FILE_BYTES:
        raise SessionFileProblem(f"the session file {path} is larger than {MAX_SESSION_FILE_BYTES} bytes")
    try:
        cookies = _PlainDataUnpickler(io.BytesIO(data)).load()
    except Exception as exc:  # a damaged pickle raises many kinds (EOFError, UnpicklingError, ValueError...)
        raise SessionFileProblem(f"{path} is not an instaloader session file ({type(exc).__name__})") from None
    if not isinstance(cookies, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in cookies.items()):
        raise SessionFileProblem(f"{path} is not an instaloader session file (not a mapping of cookies)")
    missing = [name for name in REQUIRED_COOKIES if not cookies.get(name)]
    if missing:
        raise SessionFileProblem(f"the session file {path} holds no login (cookie {', '.join(missing)} missing)")
    return cookies
