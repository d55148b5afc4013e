"""Partner accounts and API tokens, in the home region's partners table."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.errors import Conflict, NotFound
from partnerapp.domain.partners import ApiToken, Partner
from partnerapp.domain.timestamps import from_wire, to_wire
from partnerapp.hashing import new_token, secret_digest
from partnerapp.settings import Settings
from partnerapp.store import clients, keys
from partnerapp.store.codec import from_item, to_item
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.writes import transact

TOKEN_PREFIX = "pat"  # noqa: S105 - the public prefix of issued tokens


class PartnerRepository:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)

    def create(self, login: str, contact_name: str, now: datetime) -> Partner:
        partner = Partner(
            partner_id=uuid.uuid4().hex[:16],
            login=login.lower(),
            contact_name=contact_name,
            contact_email=login.lower(),
            created_at=now,
        )
        profile = {
            "pk": keys.partner_pk(partner.partner_id),
            "sk": keys.PROFILE_SK,
            "partner_id": partner.partner_id,
            "login": partner.login,
            "contact_name": partner.contact_name,
            "contact_email": partner.contact_email,
            "created_at": to_wire(now),
        }
        login_item = {
            "pk": keys.login_pk(partner.login),
            "sk": keys.LOGIN_SK,
            "partner_id": partner.partner_id,
        }
        try:
            transact(self._db, [self._put_new(profile), self._put_new(login_item)])
        except ClientError as error:
            if is_condition_failure(error):
                raise Conflict(
                    "A partner with this login already exists.", {"email": ["Already used."]}
                ) from None
            raise
        return partner

    def get(self, partner_id: str) -> Partner | None:
        found = self._get(keys.partner_pk(partner_id), keys.PROFILE_SK)
        if found is None:
            return None
        return Partner(
            partner_id=found["partner_id"],
            login=found["login"],
            contact_name=found["contact_name"],
            contact_email=found["contact_email"],
            created_at=from_wire(found["created_at"]),
        )

    def find_by_login(self, login: str) -> Partner | None:
        found = self._get(keys.login_pk(login), keys.LOGIN_SK)
        return self.get(found["partner_id"]) if found else None

    # --- tokens -----------------------------------------------------------------------

    def issue_token(
        self, partner_id: str, label: str, now: datetime, secret: str | None = None
    ) -> tuple[ApiToken, str]:
        """A new token and its secret; only the secret's digest is stored."""
        secret = secret or new_token(TOKEN_PREFIX)
        digest = secret_digest(secret)
        token = ApiToken(token_id=uuid.uuid4().hex[:12], partner_id=partner_id, label=label, created_at=now)
        lookup = {
            "pk": keys.token_pk(digest),
            "sk": keys.TOKEN_SK,
            "partner_id": partner_id,
            "token_id": token.token_id,
        }
        listing = {
            "pk": keys.partner_pk(partner_id),
            "sk": keys.partner_token_sk(token.token_id),
            "token_id": token.token_id,
            "label": label,
            "created_at": to_wire(now),
            "digest": digest,
        }
        transact(self._db, [self._put_new(lookup), self._put_new(listing)])
        return token, secret

    def partner_for_token(self, secret: str) -> str | None:
        found = self._get(keys.token_pk(secret_digest(secret)), keys.TOKEN_SK)
        return found["partner_id"] if found else None

    def list_tokens(self, partner_id: str) -> list[ApiToken]:
        response = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={":pk": {"S": keys.partner_pk(partner_id)}, ":prefix": {"S": "TOKEN#"}},
        )
        items = [from_item(item) for item in response.get("Items", [])]
        return [
            ApiToken(i["token_id"], partner_id, i["label"], from_wire(i["created_at"]))
            for i in sorted(items, key=lambda i: (i["created_at"], i["token_id"]))
        ]

    def revoke_token(self, partner_id: str, token_id: str) -> None:
        """Delete both the listing and the lookup item: the token stops working at once."""
        listing = self._get(keys.partner_pk(partner_id), keys.partner_token_sk(token_id))
        if listing is None:
            raise NotFound("Token not found.")
        try:
            transact(
                self._db,
                [
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": self._key(listing["pk"], listing["sk"]),
                            "ConditionExpression": "attribute_exists(pk)",
                        }
                    },
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": self._key(keys.token_pk(listing["digest"]), keys.TOKEN_SK),
                        }
                    },
                ],
            )
        except ClientError as error:
            if is_condition_failure(error):
                raise NotFound("Token not found.") from None
            raise

    # --- helpers ----------------------------------------------------------------------

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        response = self._db.get_item(TableName=self._table, Key=self._key(pk, sk), ConsistentRead=True)
        item = response.get("Item")
        return from_item(item) if item else None

    def _put_new(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._table,
                "Item": to_item(values),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    @staticmethod
    def _key(pk: str, sk: str) -> dict[str, Any]:
        return {"pk": {"S": pk}, "sk": {"S": sk}}
