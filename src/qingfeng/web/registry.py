"""The pages the app offers. A page that needs a capability (an optional package) switches on by itself
when that package is importable, and stays hidden otherwise: no link, no route."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from functools import cache

from fastapi import APIRouter

from qingfeng.store.models import User


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    zh: str
    en: str
    module: str  # qingfeng.web.pages.<module> holds its routes (and api.routes.<module>, if it has an API)
    role: str | None = None  # least role that sees it in the menu; None: everyone
    needs: str | None = None  # the package the page runs on

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


PAGES: tuple[Page, ...] = (
    Page("check", "/check", "自查", "Self-check", "check"),
    Page("scans", "/scans", "档案扫描", "Archive scan", "scans", role="owner"),
    Page("review", "/review", "审核", "Review", "review", role="owner"),
    Page("groups", "/groups", "工作群", "Work groups", "groups", role="owner"),
    Page("ledger", "/ledger", "红包台账", "Gift ledger", "ledger", role="owner", needs="qingfeng.ledger"),
    Page("rules", "/rules", "规则", "Rules", "rules"),
    Page("learn", "/learn", "学习", "Learn", "learn"),
    Page("report", "/report", "举报", "Report", "reports"),
    Page("people", "/people", "人员名册", "People", "people", role="owner"),
    Page("register", "/register", "账号报备", "Registrations", "register", role="member"),
    Page("admin", "/admin", "管理", "Admin", "admin", role="officer"),
)


# Routes that belong to no menu entry: signing in, saved drafts, the caller's own account, notifications.
CORE_MODULES: tuple[str, ...] = ("auth", "drafts", "me", "account", "notifications")


@cache
def available(package: str | None) -> bool:
    return package is None or importlib.util.find_spec(package) is not None


def enabled_pages(pages: tuple[Page, ...] = PAGES) -> list[Page]:
    return [page for page in pages if available(page.needs)]


def menu(user: User | None, pages: tuple[Page, ...] = PAGES) -> list[Page]:
    return [
        page for page in enabled_pages(pages) if page.role is None or (user is not None and user.at_least(page.role))
    ]


def routers(package: str, pages: tuple[Page, ...] = PAGES) -> list[APIRouter]:
    """The routers of ``package`` (pages or api.routes) for the core and every enabled page that has one."""
    found: list[APIRouter] = []
    for module in dict.fromkeys([*CORE_MODULES, *(page.module for page in enabled_pages(pages))]):
        name = f"qingfeng.web.{package}.{module}"
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name).router)
    return found
