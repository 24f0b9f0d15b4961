"""Keys for field encryption and blind indexes (字段加密密钥).

``settings.GOVPORTAL_FIELD_KEYS`` lists Fernet keys (32 random bytes, URL-safe base64),
newest first: the first encrypts, every listed key decrypts. Rotating means putting a new
key in front, running ``manage.py rotate_field_keys``, then removing the old key.

A stored value is ``<key id>$<Fernet token>``. The key id (8 hex characters derived from
the key, not the key itself) says which key encrypted it, so rotation knows which rows are
still under an old key and decryption needs no trial and error. Fernet (AES-128-CBC +
HMAC-SHA256) authenticates the token: an altered value fails to decrypt instead of reading
as something else.

Each field key also yields, through HKDF, a separate key for blind indexes
(HMAC-SHA256 of a normalised value), so a value can be found without decrypting anything.
"""

import base64
import functools
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SEPARATOR = "$"
KEY_ID_LENGTH = 8
_KEY_ID_CONTEXT = b"govportal field key id v1:"
_INDEX_KEY_CONTEXT = b"govportal blind index v1"


class DecryptionError(Exception):
    """A stored value cannot be decrypted with the configured keys."""


@dataclass(frozen=True)
class FieldKey:
    key_id: str
    fernet: Fernet
    index_key: bytes = b""

    def __repr__(self) -> str:  # never print key material
        return f"<FieldKey {self.key_id}>"


def generate_key() -> str:
    """A new random field key, in the form GOVPORTAL_FIELD_KEYS expects."""
    return Fernet.generate_key().decode()


def parse_keys(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Keys from a comma/newline-separated string or a list, blanks dropped, order kept."""
    if not value:
        return ()
    if isinstance(value, str):
        value = value.replace("\n", ",").split(",")
    return tuple(item.strip() for item in value if item and item.strip())


def raw_key(key: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise ValueError("not URL-safe base64") from error
    if len(raw) != 32:
        raise ValueError(f"decodes to {len(raw)} bytes, a Fernet key has 32")
    return raw


def key_id(key: str) -> str:
    """The public identifier of a key, stored in front of every value it encrypts."""
    digest = hashlib.sha256(_KEY_ID_CONTEXT + raw_key(key)).hexdigest()
    return digest[:KEY_ID_LENGTH]


@functools.lru_cache(maxsize=16)
def build_keyring(keys: tuple[str, ...]) -> tuple[FieldKey, ...]:
    """Check and prepare the keys (cached per distinct setting value)."""
    ring = []
    for position, key in enumerate(keys, start=1):
        try:
            raw = raw_key(key)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"GOVPORTAL_FIELD_KEYS: key #{position} is not a valid key ({error}). "
                "Generate one with `manage.py generate_field_key`."
            ) from None
        index_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=_INDEX_KEY_CONTEXT
        ).derive(raw)
        ring.append(FieldKey(key_id(key), Fernet(key), index_key))
    ids = [k.key_id for k in ring]
    if len(set(ids)) != len(ids):
        raise ImproperlyConfigured("GOVPORTAL_FIELD_KEYS lists the same key twice.")
    return tuple(ring)


def keyring() -> tuple[FieldKey, ...]:
    """The configured keys, newest first; ImproperlyConfigured if there are none."""
    keys = parse_keys(getattr(settings, "GOVPORTAL_FIELD_KEYS", ()))
    if not keys:
        raise ImproperlyConfigured(
            "GOVPORTAL_FIELD_KEYS is not set: personal data cannot be encrypted or read. "
            "Set it to one or more keys from `manage.py generate_field_key` (newest first)."
        )
    return build_keyring(keys)


def current_key_id() -> str:
    return keyring()[0].key_id


def encrypt(plaintext: str) -> str:
    key = keyring()[0]
    return f"{key.key_id}{SEPARATOR}{key.fernet.encrypt(plaintext.encode()).decode()}"


def token_key_id(token: str) -> str:
    """The key id a stored value was encrypted with ('' if it is not one of our values)."""
    prefix, separator, _body = token.partition(SEPARATOR)
    return prefix if separator and len(prefix) == KEY_ID_LENGTH else ""


def decrypt(token: str) -> str:
    kid = token_key_id(token)
    if not kid:
        raise DecryptionError("the stored value is not an encrypted field value")
    for key in keyring():
        if key.key_id == kid:
            try:
                return key.fernet.decrypt(token[KEY_ID_LENGTH + 1 :]).decode()
            except InvalidToken:
                raise DecryptionError(
                    f"the value encrypted with key {kid} was altered or is corrupt"
                ) from None
    raise DecryptionError(
        f"the value was encrypted with key {kid}, which is not in GOVPORTAL_FIELD_KEYS "
        "(an old key removed before `manage.py rotate_field_keys` finished?)"
    )


def blind_index(normalized: str, key: FieldKey | None = None) -> str:
    """HMAC-SHA256 (hex) of an already normalised value under the newest (or given) key."""
    key = key or keyring()[0]
    return hmac.new(key.index_key, normalized.encode(), hashlib.sha256).hexdigest()


def blind_index_candidates(normalized: str) -> list[str]:
    """The value's index under every configured key, so lookups work during a rotation."""
    return [blind_index(normalized, key) for key in keyring()]
