"""Secrets we must use again later (webhook signing secrets), encrypted at rest.

AES-256-GCM with a key derived by HKDF from the deployment's keyed-hash secret, so there is
no second key to manage; the associated data binds each ciphertext to the record it belongs
to, so a ciphertext copied onto another record does not decrypt. Rotating the keyed-hash
secret makes the stored webhook secrets unreadable: endpoints must then be registered again.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"
_NONCE_BYTES = 12


class SecretBox:
    def __init__(self, master_secret: bytes, purpose: str) -> None:
        key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=f"partnerapp/{purpose}/{VERSION}".encode()
        ).derive(master_secret)
        self._aead = AESGCM(key)

    def seal(self, plaintext: str, bound_to: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), bound_to.encode())
        return f"{VERSION}:{base64.b64encode(nonce + sealed).decode()}"

    def open(self, sealed: str, bound_to: str) -> str:
        """The plaintext; raises ValueError if it was not sealed by this box for `bound_to`."""
        version, _, encoded = sealed.partition(":")
        if version != VERSION:
            raise ValueError("unknown sealed secret version")
        data = base64.b64decode(encoded)
        try:
            plain = self._aead.decrypt(data[:_NONCE_BYTES], data[_NONCE_BYTES:], bound_to.encode())
        except Exception as error:  # cryptography's InvalidTag: tampered, or another record's
            raise ValueError("sealed secret does not open") from error
        return plain.decode()
