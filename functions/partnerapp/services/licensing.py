"""Create a trial license: the rules, the uniqueness guard and the one-transaction write."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from botocore.exceptions import ClientError

from partnerapp.domain.licenses import License, NewLicense, new_license_id, start_trial
from partnerapp.domain.timestamps import Clock
from partnerapp.settings import Settings
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.guards import ClientGuard
from partnerapp.store.licenses import LicenseRepository

ID_ATTEMPTS = 3


def random_id_part() -> int:
    return 10_000_000 + secrets.randbelow(90_000_000)


class LicenseCreator:
    def __init__(self, settings: Settings, clock: Clock, id_part: Callable[[], int] = random_id_part) -> None:
        self._licenses = LicenseRepository(settings)
        self._guard = ClientGuard(settings)
        self._clock = clock
        self._id_part = id_part

    def create(self, partner_id: str, request: NewLicense) -> License:
        """Raises RuleViolation (403) or Conflict (409); on success the license and its
        invitations are stored together and the emails are waiting in the outbox."""
        now = self._clock()
        for attempt in range(ID_ATTEMPTS):
            item = start_trial(partner_id, request, new_license_id(self._id_part(), request.data_center), now)
            self._guard.claim(
                partner_id,
                request.client_email,
                request.product,
                item.license_id,
                now,
                license_exists=self._licenses.exists,
            )
            try:
                self._licenses.insert(item)
                return item
            except ClientError as error:
                self._guard.release(partner_id, request.client_email, request.product, item.license_id)
                # A taken id (one in ninety million) gets a new id; anything else is a failure.
                if not is_condition_failure(error) or attempt == ID_ATTEMPTS - 1:
                    raise
            except BaseException:
                self._guard.release(partner_id, request.client_email, request.product, item.license_id)
                raise
        raise AssertionError("unreachable")
