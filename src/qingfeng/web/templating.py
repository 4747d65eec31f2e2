"""Jinja2 set-up and the one function pages render with (user, menu, CSRF token, language)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from qingfeng.core.i18n import audit_action, t
from qingfeng.core.models import DEFAULT_ZONE
from qingfeng.store.models import User
from qingfeng.store.notifications import unread_count
from qingfeng.store.security import csrf_token
from qingfeng.web.api.deps import CSRF_COOKIE
from qingfeng.web.drafts import CHANNEL_LABELS, ROOM_KIND_LABELS
from qingfeng.web.highlight import segments
from qingfeng.web.registry import menu

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals.update(
    t=t, segments=segments, channel_labels=CHANNEL_LABELS, room_kind_labels=ROOM_KIND_LABELS, audit_action=audit_action
)


def local_time(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """Times are stored in UTC and shown in China time, where the messages were sent."""
    return moment.astimezone(DEFAULT_ZONE).strftime(pattern) if moment is not None else ""


TEMPLATES.env.filters["local"] = local_time
LANG_COOKIE = "qf_lang"


def lang_of(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return chosen if chosen in ("zh", "en") else request.app.state.settings.lang


def pick(lang: str, zh: str, en: str) -> str:
    """Words of the web pages sit beside each other in both languages, where they are used."""
    return en if lang == "en" else zh


def unread_notifications(request: Request, user: User | None) -> int | None:
    """The header's badge: unread notifications for officers and admins, None for anyone else."""
    if user is None or not user.at_least("officer"):
        return None
    with request.app.state.sessions() as db:
        return unread_count(db, user=user)


def render(request: Request, template: str, user: User | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    seed = request.scope.get("state", {}).get("csrf_seed") or request.cookies.get(CSRF_COOKIE, "")
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "lang": lang,
            "_": lambda zh, en: pick(lang, zh, en),
            "menu": menu(user),
            "csrf": csrf_token(request.app.state.settings.secret_key, seed),
            "path": request.url.path,
            "unread": unread_notifications(request, user),
            **context,
        },
        status_code=status_code,
    )
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response
