"""A new license written with its guard and its client's new organization in as few calls
as the regions allow: one transaction when the license lives in the home region (where the
guard and the organization pointer live), else one in each region, the home one first.

This is the path of a create that meets nothing in its way. When a condition fails (the
client already has an organization or a license of this product, or the id is taken), nothing
of it stays and the caller takes the step-by-step path, which tells those cases apart.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from partnerapp.domain.history import HistoryEntry
from partnerapp.domain.licenses import License
from partnerapp.domain.organizations import Organization
from partnerapp.settings import Settings
from partnerapp.store import clients
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.guards import ClientGuard
from partnerapp.store.licenses import LicenseRepository
from partnerapp.store.organizations import OrganizationRepository
from partnerapp.store.writes import transact


class WrittenTogether:
    def __init__(
        self,
        settings: Settings,
        guard: ClientGuard,
        organizations: OrganizationRepository,
        licenses: LicenseRepository,
    ) -> None:
        self._settings = settings
        self._guard = guard
        self._organizations = organizations
        self._licenses = licenses

    def at_once(
        self,
        item: License,
        new_organization: Organization | None,
        created: HistoryEntry,
        request_ref: str | None = None,
    ) -> bool:
        """True when the license is stored (with its guard, and `new_organization` when the
        client has none yet); False when a condition failed and nothing of it was kept."""
        home = [
            self._guard.claim_write(
                item.partner_id,
                item.client_email,
                item.product,
                item.license_id,
                item.created_at,
                request_ref,
            )
        ]
        regional = self._licenses.insert_writes(item, created)
        if new_organization is not None:
            home.append(
                self._organizations.claim_write(
                    item.partner_id, item.client_email, item.data_center, new_organization.organization_id
                )
            )
            regional.insert(0, self._organizations.put_write(new_organization))
        home_db = clients.dynamodb(self._settings.home_region)
        region = self._settings.table_for(item.data_center).aws_region
        in_home = region == self._settings.home_region
        try:
            transact(home_db, home + regional if in_home else home)
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        except BotoCoreError:
            # No answer at all (every attempt timed out): it may have applied. A license that
            # is there is this request's; else a guard it may have left is let go.
            if in_home and self._licenses.exists(item.license_id):
                return True
            self._release(item)
            raise
        return True if in_home else self._regional(clients.dynamodb(region), regional, item)

    def _regional(self, db: Any, writes: list[dict[str, Any]], item: License) -> bool:
        """The license's region, once the home region holds its guard: on any failure the
        guard is released (the organization pointer may stay: it names the organization
        this request proposed, which the step-by-step path then finds its own)."""
        try:
            transact(db, writes)
            return True
        except ClientError as error:
            self._release(item)
            if is_condition_failure(error):
                return False
            raise
        except BotoCoreError:
            # No answer at all (every attempt timed out): the transaction may have applied.
            # If the license is there it is this request's; releasing the guard would let a
            # second license in for this customer.
            if self._licenses.exists(item.license_id):
                return True
            self._release(item)
            raise

    def _release(self, item: License) -> None:
        self._guard.release(item.partner_id, item.client_email, item.product, item.license_id)
