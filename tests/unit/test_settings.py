"""Settings: which data regions a function serves, and home tables only where they exist."""

from __future__ import annotations

import subprocess
import sys

import pytest

from partnerapp.settings import SettingsError, get_settings, parse_served_data_centers

BASE = {
    "PARTNERAPP_MODE": "aws",
    "LICENSE_TABLES": "us-south1=us-east-1:licenses,eu-west3=eu-central-1:licenses",
    "SENDER_EMAIL": "invitations@partnerapp.example",
    "ACCOUNTS_SENDER_EMAIL": "accounts@partnerapp.example",
    "SITE_URL": "https://partners.example.com/",
    "KEYED_HASH_SECRET_ID": "partnerapp/keyed-hash-secret",
    "AWS_REGION": "eu-central-1",
}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (
        "PARTNERS_TABLE",
        "IDEMPOTENCY_TABLE",
        "HOME_REGION",
        "SERVED_DATA_CENTERS",
        "SES_CONFIGURATION_SET",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in BASE.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_a_regional_function_serves_its_region_and_has_no_home_tables(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("SERVED_DATA_CENTERS", "eu-west3")
    environment.setenv("SES_CONFIGURATION_SET", "partnerapp-eu-config")
    settings = get_settings()
    assert settings.served_data_centers == ("eu-west3",)
    assert settings.serves("eu-west3") and not settings.serves("us-south1")
    assert settings.data_center_in("eu-central-1") == "eu-west3"
    assert settings.data_center_in("us-east-1") is None  # not served here
    assert settings.ses_configuration_set == "partnerapp-eu-config"
    with pytest.raises(SettingsError, match="PARTNERS_TABLE is not set: only the home stack"):
        _ = settings.partners_table


def test_the_home_function_serves_every_region(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("PARTNERS_TABLE", "partners")
    environment.setenv("IDEMPOTENCY_TABLE", "idempotency")
    settings = get_settings()
    assert settings.served_data_centers == ("us-south1", "eu-west3")
    assert (settings.partners_table, settings.idempotency_table) == ("partners", "idempotency")
    assert settings.ses_configuration_set is None
    assert settings.site_url == "https://partners.example.com"


@pytest.mark.parametrize("spec", ["", " , ", "eu-west9", "eu-west3,mars"])
def test_served_data_centers_must_name_known_regions(spec: str) -> None:
    if not spec.strip():
        assert parse_served_data_centers(None) == ("us-south1", "eu-west3")
    with pytest.raises(SettingsError):
        parse_served_data_centers(spec)


def test_served_data_centers_keeps_each_region_once() -> None:
    assert parse_served_data_centers("eu-west3, eu-west3,us-south1") == ("eu-west3", "us-south1")


def test_importing_the_api_handler_reads_no_secret_and_loads_no_sdk() -> None:
    # Cold start: secrets (and boto3 with them) load with the first request that needs them.
    probe = (
        "import sys, partnerapp.handlers.api; "
        "print(sorted(m for m in ('boto3', 'partnerapp.runtime_secrets') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_secrets_are_named_by_the_environment_and_never_read_from_it(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("KEYED_HASH_SECRET", "v" * 40)  # the old variable: ignored
    environment.setenv("BILLING_EVENTS_SECRET_ID", "partnerapp/billing-events-secret")
    environment.delenv("ORIGIN_VERIFY_SECRET_ID", raising=False)
    environment.delenv("SECRETS_MAX_AGE_SECONDS", raising=False)
    settings = get_settings()
    assert settings.keyed_hash_secret_id == "partnerapp/keyed-hash-secret"
    assert settings.billing_events_secret_id == "partnerapp/billing-events-secret"
    assert settings.origin_verify_secret_id is None
    assert settings.secrets_max_age_seconds == 300
    assert "v" * 40 not in repr(settings)
