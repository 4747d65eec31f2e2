"""Passwords (argon2), random tokens kept only as digests, CSRF tokens, the client's real address behind
trusted proxies, TOTP codes, and the key that seals report texts."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import os
import secrets
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

_hasher = PasswordHasher()
# Verifying against this when the account is unknown keeps the answer time the same either way.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud or copied by hand
RECEIPT_GROUPS = 4  # 4 × 4 characters of 32 symbols: 80 bits


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """Tokens, session ids and receipt codes are stored only as this digest."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_receipt() -> str:
    symbols = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4 * RECEIPT_GROUPS))
    return "-".join(symbols[i : i + 4] for i in range(0, len(symbols), 4))


def normalize_receipt(code: str) -> str:
    """Receipts are read back by people: ignore case, spaces and dashes."""
    symbols = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(symbols[i : i + 4] for i in range(0, len(symbols), 4))


def csrf_token(secret: str, seed: str) -> str:
    """The token a form must send back: bound to the browser's CSRF cookie by the server's key."""
    return hmac.new(secret.encode(), seed.encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret: str, seed: str | None, token: str | None) -> bool:
    return bool(seed and token) and hmac.compare_digest(csrf_token(secret, seed), token)


def keyed_digest(secret: str, value: str) -> str:
    """A digest only this server can compute: throttling keys for anonymous callers never store an address."""
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


# ---- the client's address ----------------------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(spec: str) -> tuple[Network, ...]:
    """``"10.0.0.1, 192.168.0.0/16"`` → networks. Raises ValueError naming the entry that is not one."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def real_client(peer: str | None, forwarded_for: Iterable[str], trusted: Sequence[Network]) -> str | None:
    """The address to hold a request against. X-Forwarded-For is read only when the peer is a trusted proxy,
    and from the right: the first hop that is not a trusted proxy is the client (anything further left was
    written by the client itself and proves nothing)."""
    hop = _address(peer or "")
    if hop is None or not _trusted(hop, trusted):
        return peer
    chain = [part for header in forwarded_for for part in header.split(",") if part.strip()]
    for entry in reversed(chain):
        address = _address(entry)
        if address is None:  # a garbled hop: trust nothing beyond it
            break
        hop = address
        if not _trusted(hop, trusted):
            break
    return str(hop)


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: Sequence[Network]) -> bool:
    return any(address in network for network in trusted)


def address_key(address: str) -> str:
    """Whom a limit holds: an IPv4 address, or the /64 of an IPv6 one (one household or phone gets a /64)."""
    parsed = _address(address)
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed.ipv4_mapped if isinstance(parsed, ipaddress.IPv6Address) else parsed or address)[:64]


# ---- TOTP two-factor sign-in ---------------------------------------------------------------------------

TOTP_ISSUER = "qingfeng"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=TOTP_ISSUER)


def totp_step(secret: str, code: str, after: int | None, now: float | None = None) -> int | None:
    """The time step ``code`` belongs to (this one, or one either side for clock drift), or None. A step at
    or before ``after`` (the last one used) is refused, so an overheard code cannot be replayed."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int((now or time.time()) // totp.interval)
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def sign(secret: str, payload: str, ttl_s: int, now: float | None = None) -> str:
    """A short-lived token that proves this server wrote ``payload`` (the half-done sign-in between password
    and TOTP code)."""
    expires = int((now or time.time()) + ttl_s)
    body = f"{payload}.{expires}"
    return f"{body}.{hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()}"


def unsign(secret: str, token: str, now: float | None = None) -> str | None:
    body, _, mac = token.rpartition(".")
    payload, _, expires = body.rpartition(".")
    good = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    if not (payload and expires.isdigit() and hmac.compare_digest(good, mac)):
        return None
    return payload if int(expires) >= (now or time.time()) else None


# ---- sealed report texts -------------------------------------------------------------------------------


class WrongReportKey(RuntimeError):
    """A sealed report text does not open with the configured key (the key was changed or lost)."""


class Vault:
    """Seals report texts (Fernet: AES-128-CBC with HMAC-SHA256, authenticated) with a key kept outside the
    database. Several keys may be given, newest first: texts sealed with an older key still open, new ones
    are sealed with the newest."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._fernet = MultiFernet([Fernet(key.encode("ascii")) for key in keys])

    @classmethod
    def from_settings(cls, keys: str | None, key_file: Path) -> Vault:
        """The keys from the setting (comma-separated), or the key file, created 0600 on first start."""
        if keys:
            return cls([key.strip() for key in keys.split(",") if key.strip()])
        if not key_file.exists():
            # Written whole under another name, then linked into place: two workers starting at once agree on
            # one key, and nobody ever reads a half-written file.
            draft = key_file.with_name(f".{key_file.name}.{os.getpid()}")
            descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="ascii") as stream:
                stream.write(Fernet.generate_key().decode("ascii"))
            with contextlib.suppress(FileExistsError):
                os.link(draft, key_file)
            draft.unlink()
        return cls([key_file.read_text(encoding="ascii").strip()])

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError) as error:
            raise WrongReportKey("a sealed report text does not open with the configured report key") from error
