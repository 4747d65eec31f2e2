"""The password rules every way of setting one shares (own change, admin reset, `qingfeng users`)."""

from __future__ import annotations

from qingfeng.web.templating import pick

MIN_PASSWORD = 8


def password_problem(new: str, repeat: str | None, lang: str) -> str | None:
    """What is wrong with a new password, in the user's language; None when it may be used."""
    if len(new) < MIN_PASSWORD:
        return pick(lang, f"密码至少 {MIN_PASSWORD} 位。", f"Passwords have at least {MIN_PASSWORD} characters.")
    if repeat is not None and new != repeat:
        return pick(lang, "两次输入的新密码不一致。", "The two new passwords differ.")
    return None
