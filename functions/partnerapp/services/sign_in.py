"""Passwordless partner sign-in: a one-time link by email, then a browser session.

Secrets (the link's token, the session id) are random, handed out once, and stored only as
digests. Nothing here tells a caller whether an email belongs to a partner: asking for a link
looks the same either way.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from aws_lambda_powertools import Logger

from partnerapp.domain.partners import Partner
from partnerapp.domain.return_paths import safe_next
from partnerapp.domain.timestamps import Clock
from partnerapp.hashing import secret_digest
from partnerapp.mail import sender
from partnerapp.mail.render import render_sign_in
from partnerapp.settings import Settings
from partnerapp.store.partners import PartnerRepository
from partnerapp.store.sessions import SessionStore

logger = Logger(child=True)

LINK_LIFETIME = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)
# Asking for a link is answered after this long at the least, whether or not the address is a
# partner's: sending the email (known address) takes longer than not sending it (unknown), and
# that difference would otherwise tell who has an account.
ANSWER_SECONDS = 1.0
# Caps the emails anyone can make us send to one partner by typing their address.
LINKS_PER_WINDOW = 5
LINK_WINDOW = timedelta(minutes=15)
LINK_PATH = "/web/sign-in/confirm"
# Issued secrets are 43 characters; anything much longer is not ours and is not hashed.
MAX_SECRET_LENGTH = 100


def _plausible(secret: str | None) -> bool:
    return bool(secret) and len(secret or "") <= MAX_SECRET_LENGTH


class SignIn:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        partners: PartnerRepository,
        pause: Callable[[float], None] = time.sleep,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        # The answer floor's own clock and sleeper (a test's fake time drives both).
        self._pause = pause
        self._timer = timer
        self._settings = settings
        self._clock = clock
        self._partners = partners
        self._store = SessionStore(settings)

    def request_link(self, email: str, next_path: str | None = None) -> None:
        """Email a one-time link if `email` is a partner login; otherwise do nothing. Either
        way it returns ANSWER_SECONDS after it was called (or later, if sending took longer).
        The link carries `next_path` (where to go once signed in) if it is a safe one."""
        started = self._timer()
        try:
            self._send_link(email, safe_next(next_path))
        finally:
            self._pause(max(0.0, ANSWER_SECONDS - (self._timer() - started)))

    def _send_link(self, email: str, next_path: str | None) -> None:
        partner = self._partners.find_by_login(email)
        if partner is None:
            return
        now = self._clock()
        if not self._store.allow_link(partner.partner_id, now, LINK_WINDOW, LINKS_PER_WINDOW):
            logger.warning(
                "sign-in link refused: too many requests", extra={"partner_id": partner.partner_id}
            )
            return
        token = secrets.token_urlsafe(32)
        self._store.save_link(secret_digest(token), partner.partner_id, now, LINK_LIFETIME)
        query = {"token": token} | ({"next": next_path} if next_path else {})
        link = f"{self._settings.site_url}{LINK_PATH}?{urlencode(query)}"
        message = render_sign_in(
            partner.login, partner.contact_name, link, LINK_LIFETIME // timedelta(minutes=1)
        )
        try:
            # Through the configuration set, like invitations, so SES publishes its bounces.
            sender.send(
                message,
                self._settings.accounts_sender_email,
                self._settings.home_region,
                configuration_set=self._settings.ses_configuration_set,
            )
        except sender.SendFailed as failure:
            # The partner sees the same page and can ask again; only SES's error code is logged.
            logger.warning(
                "sign-in link not sent",
                extra={"partner_id": partner.partner_id, "error_code": str(failure).partition(":")[0]},
            )
            return
        logger.info("sign-in link sent", extra={"partner_id": partner.partner_id})

    def is_usable(self, token: str | None) -> bool:
        """Whether the link would sign in now, without using it up (opening the link only
        shows its button: mail scanners fetch links, and must not spend them)."""
        if not _plausible(token):
            return False
        return self._store.link_partner(secret_digest(token or ""), self._clock()) is not None

    def redeem(self, token: str | None) -> str | None:
        """A new session id for a valid, unused, unexpired link (which is used up); else None."""
        if not _plausible(token):
            return None
        now = self._clock()
        partner_id = self._store.redeem_link(secret_digest(token or ""), now)
        if partner_id is None or self._partners.get(partner_id) is None:
            return None
        session = secrets.token_urlsafe(32)
        self._store.save_session(secret_digest(session), partner_id, now, SESSION_LIFETIME)
        logger.info("partner signed in", extra={"partner_id": partner_id})
        return session

    def partner(self, session: str | None) -> Partner | None:
        if not _plausible(session):
            return None
        partner_id = self._store.session_partner(secret_digest(session or ""), self._clock())
        return self._partners.get(partner_id) if partner_id else None

    def sign_out(self, session: str | None) -> None:
        """Revoke the session server-side: a copied cookie stops working too."""
        if _plausible(session):
            self._store.delete_session(secret_digest(session or ""))
