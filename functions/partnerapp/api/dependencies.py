"""What the routes use, built once per process from the settings (never per request).

The store and services are imported when first built, not when the handler is imported (see
`make bench`): under SnapStart by the init (partnerapp.api.warm_up), before any request;
otherwise by the first request.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from partnerapp import per_environment

if TYPE_CHECKING:
    from partnerapp.domain.timestamps import Clock
    from partnerapp.services.licensing import LicenseCreator
    from partnerapp.services.management import LicenseManager
    from partnerapp.settings import Settings
    from partnerapp.store.licenses import LicenseRepository
    from partnerapp.store.listing import LicenseListing
    from partnerapp.store.organizations import OrganizationRepository
    from partnerapp.store.partners import PartnerRepository
    from partnerapp.store.rate_limits import RateLimiter
    from partnerapp.store.tallies import TallyReader


@dataclass(frozen=True)
class Dependencies:
    settings: Settings
    clock: Clock
    partners: PartnerRepository
    licenses: LicenseRepository
    creator: LicenseCreator
    manager: LicenseManager
    listing: LicenseListing
    organizations: OrganizationRepository
    rate_limiter: RateLimiter
    tallies: TallyReader


# The repositories hold the SDK clients of the environment that built them: a SnapStart
# restore builds them again, on its own clients (partnerapp.per_environment).
@per_environment.register
def _forget() -> None:
    dependencies.cache_clear()


@functools.cache
def dependencies() -> Dependencies:
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.services.licensing import LicenseCreator
    from partnerapp.services.management import LicenseManager
    from partnerapp.settings import get_settings
    from partnerapp.store.licenses import LicenseRepository
    from partnerapp.store.listing import LicenseListing
    from partnerapp.store.organizations import OrganizationRepository
    from partnerapp.store.partners import PartnerRepository
    from partnerapp.store.rate_limits import RateLimiter
    from partnerapp.store.tallies import TallyReader

    settings = get_settings()
    return Dependencies(
        settings=settings,
        clock=utc_now,
        partners=PartnerRepository(settings),
        licenses=LicenseRepository(settings),
        creator=LicenseCreator(settings, utc_now),
        manager=LicenseManager(settings, utc_now),
        listing=LicenseListing(settings),
        organizations=OrganizationRepository(settings),
        rate_limiter=RateLimiter(settings),
        tallies=TallyReader(settings),
    )
