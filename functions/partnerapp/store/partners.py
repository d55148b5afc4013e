"""Partner accounts and API tokens, in the home region's partners table."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain import summaries
from partnerapp.domain.errors import Conflict, NotFound
from partnerapp.domain.partners import OPT_INS, ApiToken, Partner
from partnerapp.domain.timestamps import from_wire, to_wire
from partnerapp.hashing import new_token, secret_digest
from partnerapp.settings import Settings
from partnerapp.store import clients, keys
from partnerapp.store.codec import from_item, to_item, to_values
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.writes import transact

TOKEN_PREFIX = "pat"  # noqa: S105 - the public prefix of issued tokens
PROFILE_FIELDS = ("first_name", "last_name", "contact_name", "contact_email")
HINT_LENGTH = 8  # "pat_" and 4 of the secret's 43 random characters


class ProfileConflict(Exception):
    """The profile changed since it was read; the caller reads it again."""


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
            first_name=found.get("first_name", ""),
            last_name=found.get("last_name", ""),
            opt_ins=frozenset(name for name in OPT_INS if found.get(name) is True),
            version=found.get("version", 1),
        )

    # --- profile ----------------------------------------------------------------------

    def update_profile(self, current: Partner, wanted: Partner, now: datetime) -> None:
        """Write `wanted`'s profile over `current` (as read), with the summary schedules its
        opt-ins call for, in one transaction conditional on the version read.

        ProfileConflict when someone changed it meanwhile; the caller reads again, and a
        repeat of a write whose answer was lost finds its values there already."""
        names = {"#version": "version", **{f"#{n}": n for n in (*PROFILE_FIELDS, *OPT_INS)}}
        values: dict[str, Any] = {":seen": current.version, ":next": current.version + 1}
        assignments = ["#version = :next"]
        for name in PROFILE_FIELDS:
            values[f":{name}"] = getattr(wanted, name)
            assignments.append(f"#{name} = :{name}")
        for name in OPT_INS:
            values[f":{name}"] = wanted.opted_in(name)
            assignments.append(f"#{name} = :{name}")
        profile = {
            "Update": {
                "TableName": self._table,
                "Key": self._key(keys.partner_pk(current.partner_id), keys.PROFILE_SK),
                "UpdateExpression": "SET " + ", ".join(assignments),
                # Items written before profiles were versioned carry no version: they are 1.
                "ConditionExpression": "attribute_exists(pk) AND "
                + (
                    "(#version = :seen OR attribute_not_exists(#version))"
                    if current.version == 1
                    else "#version = :seen"
                ),
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": to_values(values),
            }
        }
        items = [profile, *self._schedule_changes(current, wanted, now)]
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as error:
            if is_condition_failure(error):
                raise ProfileConflict from None
            raise

    def _schedule_changes(self, current: Partner, wanted: Partner, now: datetime) -> list[dict[str, Any]]:
        """A schedule item put for each summary turned on, deleted for each turned off: the
        summaries job Queries these (sparse `partner_due` index), never every partner."""
        changes: list[dict[str, Any]] = []
        for kind, opt_in in summaries.OPT_IN_OF.items():
            was, now_on = current.opted_in(opt_in), wanted.opted_in(opt_in)
            key = self._key(keys.partner_pk(current.partner_id), keys.schedule_sk(kind))
            if now_on and not was:
                item = {
                    "pk": keys.partner_pk(current.partner_id),
                    "sk": keys.schedule_sk(kind),
                    "partner_id": current.partner_id,
                    "kind": kind,
                    "due_kind": kind,
                    "due_at": keys.due_at(summaries.next_due_at(kind, now)),
                }
                changes.append({"Put": {"TableName": self._table, "Item": to_item(item)}})
            elif was and not now_on:
                changes.append({"Delete": {"TableName": self._table, "Key": key}})
        return changes

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
            # `transact` keeps its request token across retries: a repeat is a success, not a clash.
            transact(self._db, [self._put_new(lookup), self._put_new(listing), self._put_new(label_guard)])
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

    def partner_for_token(self, secret: str, used_at: datetime | None = None) -> str | None:
        """The partner whose token this is; `used_at` records the day it was used (one write
        a day at most: only when the day stored on the lookup item differs)."""
        found = self._get(keys.token_pk(secret_digest(secret)), keys.TOKEN_SK)
        if found is None:
            return None
        if used_at is not None and found.get("last_used_on") != used_at.date().isoformat():
            self._note_use(found, used_at.date().isoformat())
        return str(found["partner_id"])

    def _note_use(self, lookup: dict[str, Any], day: str) -> None:
        # Both conditional: a token revoked meanwhile is not brought back, and a second request
        # the same day (or a retry of this one) changes nothing.
        for pk, sk in (
            (lookup["pk"], lookup["sk"]),
            (keys.partner_pk(lookup["partner_id"]), keys.partner_token_sk(lookup["token_id"])),
        ):
            try:
                self._db.update_item(
                    TableName=self._table,
                    Key=self._key(pk, sk),
                    UpdateExpression="SET last_used_on = :day",
                    ConditionExpression="attribute_exists(pk) AND "
                    "(attribute_not_exists(last_used_on) OR last_used_on <> :day)",
                    ExpressionAttributeValues=to_values({":day": day}),
                )
            except ClientError as error:
                if not is_condition_failure(error):
                    raise

    def list_tokens(self, partner_id: str) -> list[ApiToken]:
        response = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={":pk": {"S": keys.partner_pk(partner_id)}, ":prefix": {"S": "TOKEN#"}},
        )
        items = [from_item(item) for item in response.get("Items", [])]
        tokens = [
            ApiToken(
                i["token_id"],
                partner_id,
                i["label"],
                from_wire(i["created_at"]),
                last_used_on=i.get("last_used_on"),
                hint=i.get("hint", ""),
            )
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
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": self._key(listing["pk"], keys.token_label_sk(listing["label"])),
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
