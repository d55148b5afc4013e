"""Typed settings, read once per process from the environment the SAM template sets."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from partnerapp.catalog import DATA_CENTERS


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
    partners_table: str
    idempotency_table: str
    license_tables: dict[str, RegionalTable]
    sender_email: str
    site_url: str
    keyed_hash_secret: bytes

    @property
    def local(self) -> bool:
        return self.mode == "local"

    def table_for(self, data_center: str) -> RegionalTable:
        return self.license_tables[data_center]


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise SettingsError(f"environment variable {name} is not set")
    return value


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
    secret = _required("KEYED_HASH_SECRET")
    if len(secret) < 32:
        raise SettingsError("KEYED_HASH_SECRET must be at least 32 characters")
    return Settings(
        mode=mode,
        home_region=os.environ.get("HOME_REGION") or _required("AWS_REGION"),
        partners_table=_required("PARTNERS_TABLE"),
        idempotency_table=_required("IDEMPOTENCY_TABLE"),
        license_tables=parse_license_tables(_required("LICENSE_TABLES")),
        sender_email=_required("SENDER_EMAIL"),
        site_url=_required("SITE_URL").rstrip("/"),
        keyed_hash_secret=secret.encode(),
    )
