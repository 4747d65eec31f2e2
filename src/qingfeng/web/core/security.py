"""Passwords (argon2), random tokens kept only as digests, CSRF tokens, and login rate limiting."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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


class LoginLimiter:
    """Failed sign-ins per key (account + address, and address alone) in a sliding window."""

    def __init__(self, allowed: int, window_s: float) -> None:
        self.allowed = allowed
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        stamps = self._failures.setdefault(key, deque())
        while stamps and now - stamps[0] > self.window_s:
            stamps.popleft()
        return stamps

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            # An address alone may try several accounts, but not endlessly.
            return any(len(self._recent(key, now)) >= self.allowed * (1 if "|" in key else 4) for key in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
