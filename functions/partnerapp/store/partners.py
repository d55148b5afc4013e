"""Partner accounts and API tokens, in the home region's partners table.

Each token's lookup item carries a copy of its partner's profile, so a request reads one item
to know who is calling. The copies are kept in step: a profile change rewrites every token's
copy in its own transaction, and a token is issued with the profile's version it copied, in a
transaction that counts it on the profile (`tokens_issued`), so neither can slip past the other.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
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
from partnerapp.store.writes import transact, transact_or

TOKEN_PREFIX = "pat"  # noqa: S105 - the public prefix of issued tokens  # nosec B105
PROFILE_FIELDS = ("first_name", "last_name", "contact_name", "contact_email")
HINT_LENGTH = 8  # "pat_" and 4 of the secret's 43 random characters
# A profile change rewrites every token's copy of the profile in one transaction (at most 100
# items, with the profile and its summary schedules): this many live tokens leave room.
MAX_TOKENS = 50
ISSUE_ATTEMPTS = 3


class ProfileConflict(Exception):
    """The profile changed since it was read; the caller reads it again."""


def token_hint(secret: str) -> str:
    """What a token list shows instead of the secret (stored as a hash): its first characters."""
    return secret[:HINT_LENGTH] + "..."


def _number(token_id: str) -> int:
    return int(token_id) if token_id.isdecimal() and token_id.isascii() else 0


def _profile_values(partner: Partner) -> dict[str, Any]:
    """The profile as stored, on the profile item and as each token's copy of it."""
    names = ("partner_id", "login", *PROFILE_FIELDS)
    values: dict[str, Any] = {name: getattr(partner, name) for name in names}
    values.update({name: partner.opted_in(name) for name in OPT_INS})
    return {**values, "created_at": to_wire(partner.created_at), "version": partner.version}


def _partner_from(found: dict[str, Any]) -> Partner:
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
        tokens_issued=found.get("tokens_issued", 0),
    )


def _version_is(version: int) -> str:
    """The condition "the profile is still at `version`" (`:seen`); a profile written before
    profiles were versioned carries no version: it is 1."""
    if version == 1:
        return "(#version = :seen OR attribute_not_exists(#version))"
    return "#version = :seen"


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
        key = {"pk": keys.partner_pk(partner.partner_id), "sk": keys.PROFILE_SK}
        profile = {**key, **_profile_values(partner)}
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
        return _partner_from(found) if found is not None else None

    # --- profile ----------------------------------------------------------------------

    def update_profile(self, current: Partner, wanted: Partner, now: datetime) -> None:
        """Write `wanted`'s profile over `current` (as read), with the summary schedules its
        opt-ins call for and every token's copy of the profile, in one transaction
        conditional on the version read and on no token issued since.

        ProfileConflict when someone changed it meanwhile (or a token was issued or revoked);
        the caller reads again. The transaction keeps its ClientRequestToken across retries."""
        after = replace(wanted, version=current.version + 1)
        names = {"#version": "version", "#issued": "tokens_issued"}
        names.update({f"#{n}": n for n in (*PROFILE_FIELDS, *OPT_INS)})
        values: dict[str, Any] = {":seen": current.version, ":next": after.version}
        assignments = ["#version = :next"]
        for name in PROFILE_FIELDS:
            values[f":{name}"] = getattr(wanted, name)
            assignments.append(f"#{name} = :{name}")
        for name in OPT_INS:
            values[f":{name}"] = wanted.opted_in(name)
            assignments.append(f"#{name} = :{name}")
        values[":issued"] = current.tokens_issued
        profile = {
            "Update": {
                "TableName": self._table,
                "Key": self._key(keys.partner_pk(current.partner_id), keys.PROFILE_SK),
                "UpdateExpression": "SET " + ", ".join(assignments),
                "ConditionExpression": f"attribute_exists(pk) AND {_version_is(current.version)} AND "
                + ("#issued = :issued" if current.tokens_issued else "attribute_not_exists(#issued)"),
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": to_values(values),
            }
        }
        copies = [self._profile_copy(digest, after) for digest in self._token_digests(current.partner_id)]
        items = [profile, *copies, *self._schedule_changes(current, wanted, now)]
        transact_or(self._db, items, ProfileConflict)

    def _token_digests(self, partner_id: str) -> list[str]:
        response = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_values({":pk": keys.partner_pk(partner_id), ":prefix": "TOKEN#"}),
            ProjectionExpression="digest",
            ConsistentRead=True,
        )
        return [item["digest"]["S"] for item in response.get("Items", [])]

    def _profile_copy(self, digest: str, partner: Partner) -> dict[str, Any]:
        """Rewrite a token's copy of the profile; a token revoked meanwhile is not brought back
        (its condition fails the transaction, which is then read and tried again)."""
        return {
            "Update": {
                "TableName": self._table,
                "Key": self._key(keys.token_pk(digest), keys.TOKEN_SK),
                "UpdateExpression": "SET #partner = :partner",
                "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeNames": {"#partner": "partner"},
                "ExpressionAttributeValues": to_values({":partner": _profile_values(partner)}),
            }
        }

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
        self, partner: Partner, label: str, now: datetime, secret: str | None = None
    ) -> tuple[ApiToken, str]:
        """A new token and its secret; only the secret's digest is stored, with a hint (its
        first characters) to tell it apart in lists, and a copy of the profile for the one
        read that authenticates. Its id is a number, as in the Text API. A label already used,
        or a partner holding MAX_TOKENS already, is a Conflict."""
        secret = secret or new_token(TOKEN_PREFIX)
        token_id = str(self._next_token_number())
        for _ in range(ISSUE_ATTEMPTS):
            token = ApiToken(token_id, partner.partner_id, label, now, hint=token_hint(secret))
            try:
                transact(self._db, self._token_writes(token, secret_digest(secret), partner))
                return token, secret
            except ClientError as error:
                if not is_condition_failure(error):
                    raise
                reasons = error.response.get("CancellationReasons", [])
            failed = {n for n, reason in enumerate(reasons) if reason.get("Code") == "ConditionalCheckFailed"}
            if 2 in failed:
                raise Conflict("A token with this label exists.", {"label": ["Already taken."]})
            if failed & {0, 1}:  # only a secret given by the caller (the demo's) can meet itself
                raise Conflict("This token was issued already.")
            latest = self.get(partner.partner_id)
            if latest is None:
                raise NotFound("The partner account no longer exists.")
            if latest.version == partner.version and latest.tokens_issued == partner.tokens_issued:
                raise Conflict(f"A partner can hold at most {MAX_TOKENS} tokens; revoke one first.")
            partner = latest  # the profile changed meanwhile: copy it as it is now
        raise Conflict("The profile kept changing; try again.")

    def _token_writes(self, token: ApiToken, digest: str, partner: Partner) -> list[dict[str, Any]]:
        """The lookup (with the profile's copy), the listing, the label's guard, and the
        profile's count of tokens, conditional on the version copied (in this order: the
        cancellation reasons are read by position)."""
        lookup = {
            "pk": keys.token_pk(digest),
            "sk": keys.TOKEN_SK,
            "partner_id": token.partner_id,
            "token_id": token.token_id,
            "partner": _profile_values(partner),
        }
        listing = {
            "pk": keys.partner_pk(token.partner_id),
            "sk": keys.partner_token_sk(token.token_id),
            "token_id": token.token_id,
            "label": token.label,
            "created_at": to_wire(token.created_at),
            "digest": digest,
            "hint": token.hint,
        }
        label_guard = {
            "pk": keys.partner_pk(token.partner_id),
            "sk": keys.token_label_sk(token.label),
            "token_id": token.token_id,
        }
        counted = {
            "Update": {
                "TableName": self._table,
                "Key": self._key(keys.partner_pk(token.partner_id), keys.PROFILE_SK),
                "UpdateExpression": "ADD tokens_issued :one, tokens_live :one",
                "ConditionExpression": f"attribute_exists(pk) AND {_version_is(partner.version)} AND "
                "(attribute_not_exists(tokens_live) OR tokens_live < :max)",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": to_values(
                    {":one": 1, ":max": MAX_TOKENS, ":seen": partner.version}
                ),
            }
        }
        return [self._put_new(lookup), self._put_new(listing), self._put_new(label_guard), counted]

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

    def authenticate(self, secret: str, used_at: datetime | None = None) -> Partner | None:
        """The partner whose token this is, from the token's item alone (one GetItem);
        `used_at` records the day it was used (one write a day at most: only when the day
        stored on the lookup item differs)."""
        found = self._get(keys.token_pk(secret_digest(secret)), keys.TOKEN_SK)
        if found is None:
            return None
        if used_at is not None and found.get("last_used_on") != used_at.date().isoformat():
            self._note_use(found, used_at.date().isoformat())
        return _partner_from(found["partner"])

    def partner_for_token(self, secret: str) -> str | None:
        partner = self.authenticate(secret)
        return partner.partner_id if partner else None

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
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": self._key(listing["pk"], keys.PROFILE_SK),
                            "UpdateExpression": "ADD tokens_live :minus_one",
                            "ExpressionAttributeValues": to_values({":minus_one": -1}),
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
