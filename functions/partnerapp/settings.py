"""Typed settings, read once per process from the environment the SAM template sets.

One template deploys a home stack (API, partners, sessions, idempotency) and a regional stack
per data region (licenses table, mailer, sweep, SES): a regional function has no home tables,
and serves only its own data region (`SERVED_DATA_CENTERS`; every region when unset, as the
API and the local dev server do).

Secrets are not settings: the environment names them (`*_SECRET_ID`) and
`partnerapp.runtime_secrets` reads their values from Secrets Manager at first use, so no
value sits in a function's configuration.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from partnerapp.catalog import DATA_CENTERS

if TYPE_CHECKING:
    from partnerapp.runtime_secrets import SecretVersions


class SettingsError(RuntimeError):
    """The environment is missing or misstates a setting; the function cannot start."""


@dataclass(frozen=True)
class RegionalTable:
    """Where one data center's licenses live: an AWS region and a DynamoDB table there."""

    data_center: str
    aws_region: str
    table_name: str


@dataclass(frozen=True)
class Settings:
    mode: str  # "aws" or "local"
    home_region: str
    partners_table_name: str | None  # None outside the home stack
    idempotency_table_name: str | None
    license_tables: dict[str, RegionalTable]
    sender_email: str  # invitations and the customers' emails
    site_url: str
    keyed_hash_secret_id: str
    # A partner's own account emails (the sign-in link): not from the invitations' address.
    accounts_sender_email: str
    served_data_centers: tuple[str, ...] = tuple(DATA_CENTERS)
    ses_configuration_set: str | None = None
    rate_limit_per_minute: int = 600  # API requests per partner and minute
    # The billing system signs its events with this secret (HMAC); None refuses every event.
    billing_events_secret_id: str | None = None
    # The value CloudFront adds to every request to the API; None: no check (local mode only).
    origin_verify_secret_id: str | None = None
    secrets_max_age_seconds: int = 300

    @property
    def keyed_hash_secret(self) -> bytes:
        """The key of every keyed hash and of the webhook secrets' encryption (current value)."""
        return self._secret(self.keyed_hash_secret_id).current

    @property
    def billing_events_secrets(self) -> tuple[bytes, ...]:
        """The values a billing signature may be made with (two while one is rotated)."""
        if self.billing_events_secret_id is None:
            return ()
        return self._secret(self.billing_events_secret_id).accepted

    @property
    def billing_events_secret(self) -> bytes | None:
        """The value to sign billing events with (`partnerapp billing sign`)."""
        if self.billing_events_secret_id is None:
            return None
        return self._secret(self.billing_events_secret_id).current

    def origin_verify_values(self) -> tuple[bytes, ...]:
        """The values of CloudFront's origin header the API accepts (none configured: empty)."""
        if self.origin_verify_secret_id is None:
            return ()
        return self._secret(self.origin_verify_secret_id).accepted

    def _secret(self, secret_id: str) -> SecretVersions:
        from partnerapp import runtime_secrets  # boto3 loads with the first secret, not at import

        return runtime_secrets.versions(secret_id, self.secrets_max_age_seconds)

    @property
    def local(self) -> bool:
        return self.mode == "local"

    @property
    def partners_table(self) -> str:
        return _home_table("PARTNERS_TABLE", self.partners_table_name)

    @property
    def idempotency_table(self) -> str:
        return _home_table("IDEMPOTENCY_TABLE", self.idempotency_table_name)

    def table_for(self, data_center: str) -> RegionalTable:
        return self.license_tables[data_center]

    def serves(self, data_center: str) -> bool:
        return data_center in self.served_data_centers

    def data_center_in(self, aws_region: str) -> str | None:
        """The served data center whose licenses live in `aws_region` (SES events name only it)."""
        return next(
            (c for c in self.served_data_centers if self.license_tables[c].aws_region == aws_region), None
        )


def _home_table(variable: str, name: str | None) -> str:
    # A regional stack's functions never touch the home tables; saying so beats a boto3
    # "invalid TableName" far from the cause.
    if not name:
        raise SettingsError(f"{variable} is not set: only the home stack's functions use it")
    return name


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise SettingsError(f"environment variable {name} is not set")
    return value


def _optional(name: str) -> str | None:
    return os.environ.get(name, "").strip() or None


def _positive_int(name: str, default: int) -> int:
    text = _optional(name)
    if text is None:
        return default
    if not text.isdigit() or int(text) < 1:
        raise SettingsError(f"{name} must be a positive whole number")
    return int(text)


def parse_served_data_centers(spec: str | None) -> tuple[str, ...]:
    """`eu-west3` or `us-south1,eu-west3`; every data center when unset."""
    if spec is None:
        return tuple(DATA_CENTERS)
    centers = tuple(dict.fromkeys(part.strip() for part in spec.split(",") if part.strip()))
    unknown = [c for c in centers if c not in DATA_CENTERS]
    if unknown or not centers:
        raise SettingsError(f"SERVED_DATA_CENTERS {spec!r} must name data centers of {sorted(DATA_CENTERS)}")
    return centers


def parse_license_tables(spec: str) -> dict[str, RegionalTable]:
    """Parse `us-south1=us-east-1:table-a,eu-west3=eu-central-1:table-b`."""
    tables: dict[str, RegionalTable] = {}
    for entry in filter(None, (part.strip() for part in spec.split(","))):
        center, _, location = entry.partition("=")
        region, _, table = location.partition(":")
        if center not in DATA_CENTERS or not region or not table:
            raise SettingsError(f"LICENSE_TABLES entry {entry!r} is not data_center=region:table")
        tables[center] = RegionalTable(center, region, table)
    missing = set(DATA_CENTERS) - set(tables)
    if missing:
        raise SettingsError(f"LICENSE_TABLES has no table for {', '.join(sorted(missing))}")
    return tables


@functools.cache
def get_settings() -> Settings:
    mode = os.environ.get("PARTNERAPP_MODE", "aws")
    if mode not in ("aws", "local"):
        raise SettingsError("PARTNERAPP_MODE must be aws or local")
    return Settings(
        mode=mode,
        home_region=os.environ.get("HOME_REGION") or _required("AWS_REGION"),
        partners_table_name=_optional("PARTNERS_TABLE"),
        idempotency_table_name=_optional("IDEMPOTENCY_TABLE"),
        license_tables=parse_license_tables(_required("LICENSE_TABLES")),
        sender_email=_required("SENDER_EMAIL"),
        site_url=_required("SITE_URL").rstrip("/"),
        keyed_hash_secret_id=_required("KEYED_HASH_SECRET_ID"),
        accounts_sender_email=_required("ACCOUNTS_SENDER_EMAIL"),
        served_data_centers=parse_served_data_centers(_optional("SERVED_DATA_CENTERS")),
        ses_configuration_set=_optional("SES_CONFIGURATION_SET"),
        rate_limit_per_minute=_positive_int("RATE_LIMIT_PER_MINUTE", 600),
        billing_events_secret_id=_optional("BILLING_EVENTS_SECRET_ID"),
        origin_verify_secret_id=_optional("ORIGIN_VERIFY_SECRET_ID"),
        secrets_max_age_seconds=_positive_int("SECRETS_MAX_AGE_SECONDS", 300),
    )
