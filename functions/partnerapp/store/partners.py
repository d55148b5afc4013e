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

TOKEN_PREFIX = "pat"  # noqa: S105 - the public prefix of issued tokens
HINT_LENGTH = 8  # "pat_" and 4 of the secret's 43 random characters


def token_hint(secret: str) -> str:
    """What a token list shows instead of the secret (stored as a hash): its first characters."""
    return secret[:HINT_LENGTH] + "..."


def _number(token_id: str) -> int:
    return int(token_id) if token_id.isdecimal() and token_id.isascii() else 0


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
            self._db.transact_write_items(
                TransactItems=[
                    self._put_new(profile),
                    self._put_new(login_item),
                ]
            )
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
        """A new token and its secret; only the secret's digest is stored, with a hint (its
        first characters) to tell it apart in lists. Its id is a number, as in the Text API;
        a label already used is a Conflict."""
        secret = secret or new_token(TOKEN_PREFIX)
        digest = secret_digest(secret)
        token = ApiToken(
            token_id=str(self._next_token_number()),
            partner_id=partner_id,
            label=label,
            created_at=now,
            hint=token_hint(secret),
        )
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
            "hint": token.hint,
        }
        label_guard = {
            "pk": keys.partner_pk(partner_id),
            "sk": keys.token_label_sk(label),
            "token_id": token.token_id,
        }
        try:
            # The request token makes an SDK retry of an applied transaction a success, not a clash.
            self._db.transact_write_items(
                TransactItems=[self._put_new(lookup), self._put_new(listing), self._put_new(label_guard)],
                ClientRequestToken=uuid.uuid4().hex,
            )
        except ClientError as error:
            if is_condition_failure(error):
                raise Conflict("A token with this label exists.", {"label": ["Already taken."]}) from None
            raise
        return token, secret

    def _next_token_number(self) -> int:
        """The next token number, from one counter for all partners (ids never repeat, so one
        partner's id names nothing of another's); a retried increment only skips a number."""
        response = self._db.update_item(
            TableName=self._table,
            Key=self._key(keys.TOKEN_SEQUENCE_PK, keys.SEQUENCE_SK),
            UpdateExpression="ADD next_value :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        return int(response["Attributes"]["next_value"]["N"])

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
        tokens = [
            ApiToken(i["token_id"], partner_id, i["label"], from_wire(i["created_at"]), i.get("hint", ""))
            for i in items
        ]
        # Newest first, as the Text API lists them.
        return sorted(tokens, key=lambda t: (t.created_at, _number(t.token_id)), reverse=True)

    def revoke_token(self, partner_id: str, token_id: str) -> None:
        """Delete both the listing and the lookup item: the token stops working at once."""
        listing = self._get(keys.partner_pk(partner_id), keys.partner_token_sk(token_id))
        if listing is None:
            raise NotFound("Token not found.")
        try:
            self._db.transact_write_items(
                TransactItems=[
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
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": self._key(listing["pk"], keys.token_label_sk(listing["label"])),
                        }
                    },
                ]
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
