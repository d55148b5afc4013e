"""Where a partner returns after signing in (`next`): a path of this site, never another's.

A `next` rides in links and forms that anyone can craft, so a value that a browser could
read as another origin (`//evil.example`, `/\\evil.example`, `https://...`, the same with
percent-encoding) or that carries control characters is refused: the caller falls back to
its default, and no error tells a crafted link what would pass.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

MAX_LENGTH = 512
# Pages that make no sense to come back to: the sign-in pages themselves, and signed out.
NOT_RETURNED_TO = ("/sign-in.html", "/sign-in-sent.html", "/signed-out.html", "/web/sign-in", "/web/sign-out")


def _plain(path: str) -> bool:
    """One reading of `path` stays on this site: one leading slash, no backslash, no
    control character (browsers drop tabs and line breaks, so `/\t/x` would be `//x`), no
    scheme and no host."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return False
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        return False
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc


def safe_next(candidate: str | None) -> str | None:
    """`candidate` if it is a same-site relative path worth returning to, else None.

    Checked as sent and once and twice percent-decoded, since each hop (a link, a form, a
    redirect) may decode it once more."""
    if not candidate or len(candidate) > MAX_LENGTH:
        return None
    once = unquote(candidate)
    if not all(_plain(reading) for reading in (candidate, once, unquote(once))):
        return None
    if urlsplit(once).path.startswith(NOT_RETURNED_TO):
        return None
    return candidate


def sign_in_href(back: str | None) -> str:
    """The sign-in link of a page at `back`: it carries `next` when `back` may be returned to."""
    wanted = safe_next(back)
    return f"/web/sign-in?next={quote(wanted, safe='/')}" if wanted else "/sign-in.html"
