"""Telling officers: a notification in every officer's header, and optionally a WeCom group robot message
(setting ``QINGFENG_WECOM_WEBHOOK``), sent with the groups feature's webhook code."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session

from qingfeng.core.i18n import t
from qingfeng.groups.notify import WebhookError, WebhookSettings, post_markdown
from qingfeng.store.models import Report, User
from qingfeng.store.notifications import add_notification
from qingfeng.web.core.config import Settings
from qingfeng.web.templating import pick

log = logging.getLogger(__name__)
ROBOT_RETRIES = 2
ROBOT_TIMEOUT_S = 5.0


def _post(url: str, content: str) -> None:
    try:
        post_markdown(url, content, WebhookSettings(retries=ROBOT_RETRIES, timeout=ROBOT_TIMEOUT_S))
    except WebhookError as error:  # the header notification stands; the robot is a courtesy
        log.warning("WeCom robot notification not sent: %s", error)


def notify_officers(
    db: Session, settings: Settings, *, kind: str, text: str, link: str = ""
) -> threading.Thread | None:
    """Store a notification for every officer; post it to the robot in the background when one is set.

    Returns the sending thread (tests wait on it), or None when no robot is configured."""
    add_notification(db, kind=kind, text=text, link=link)
    if not settings.wecom_webhook:
        return None
    content = f"**清风** {text}" + (f"\n{link}" if link else "")
    sender = threading.Thread(target=_post, args=(settings.wecom_webhook, content), daemon=True)
    sender.start()
    return sender


def announce_report(db: Session, settings: Settings, report: Report) -> None:
    """A new report (举报) reaches every officer. The text names its number and category, never its words:
    the robot's group may be wider than the officers."""
    category = t(f"category.{report.category}", settings.lang) if report.category else ""
    text = pick(settings.lang, f"收到新举报 #{report.id}", f"New report #{report.id}")
    notify_officers(db, settings, kind="report", text=f"{text} {category}".strip(), link=f"/reports/{report.id}")


def announce_escalation(db: Session, settings: Settings, *, officer: User, messages: int, link: str) -> None:
    """Escalated messages (上报) reach every officer: who escalated how many, and where to look."""
    text = pick(
        settings.lang,
        f"{officer.shown_name} 上报了 {messages} 条消息",
        f"{officer.shown_name} escalated {messages} message(s)",
    )
    notify_officers(db, settings, kind="escalation", text=text, link=link)
