"""自查: check a draft as it is typed. Nothing is stored unless a signed-in member saves it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from qingfeng.coach.compose import draft_notice, fitted
from qingfeng.core.i18n import t
from qingfeng.core.models import DEFAULT_ZONE, Finding
from qingfeng.media import PictureError, check_picture
from qingfeng.pipeline.engine import Checker
from qingfeng.store import crud
from qingfeng.store.models import User
from qingfeng.web.api.deps import CheckerDep, CurrentUser, NotSignedIn, OptionalUser, SessionDep, SettingsDep
from qingfeng.web.drafts import ROOM_KIND_CHOICES, DraftForm, DraftFormDep, form_of
from qingfeng.web.pages.common import page_router
from qingfeng.web.templating import lang_of, pick, render

router = page_router()


def _findings(checker: Checker, form: DraftForm) -> list[Finding]:
    try:
        return checker.check(form.message())
    except ValidationError:  # a half-typed time, say: show nothing rather than an error while typing
        return []


def _page(
    request: Request, user: User | None, checker: Checker, form: DraftForm, template: str, **extra
) -> HTMLResponse:
    status = int(extra.pop("status", 200))
    return render(
        request,
        template,
        user,
        status,
        form=form,
        findings=_findings(checker, form),
        rulebook=checker.rulebook,
        room_kinds=ROOM_KIND_CHOICES,
        **extra,
    )


@router.get("/check")
def check_page(
    request: Request, db: SessionDep, user: OptionalUser, checker: CheckerDep, draft: int | None = None
) -> HTMLResponse:
    """The self-check; ``?draft=N`` reopens a saved draft of the signed-in member for editing."""
    if draft is not None:
        if user is None:
            raise NotSignedIn  # drafts are their authors': sign in, then come back here
        found = crud.get_draft(db, owner=user, draft_id=draft)
        if found is None:
            raise HTTPException(404)
        return _page(request, user, checker, form_of(found), "check.html", draft_id=found.id)
    now = datetime.now(DEFAULT_ZONE).strftime("%Y-%m-%dT%H:%M")
    return _page(request, user, checker, DraftForm(time=now), "check.html")


@router.post("/check")
def check_submit(request: Request, user: OptionalUser, checker: CheckerDep, form: DraftFormDep) -> HTMLResponse:
    """The same check without JavaScript: the whole page comes back."""
    return _page(request, user, checker, form, "check.html")


@router.post("/check/preview")
def preview(request: Request, user: OptionalUser, checker: CheckerDep, form: DraftFormDep) -> HTMLResponse:
    return _page(request, user, checker, form, "_check_results.html")


@router.post("/check/save")
def save(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    checker: CheckerDep,
    form: DraftFormDep,
    draft_id: Annotated[int | None, Form()] = None,
) -> Response:
    """Save the draft: a new one, or (with ``draft_id``, from a reopened draft) that draft again."""
    lang = lang_of(request)
    if not form.text.strip():
        return HTMLResponse(pick(lang, "草稿是空的。", "The draft is empty."))
    editing = crud.get_draft(db, owner=user, draft_id=draft_id) if draft_id is not None else None
    if draft_id is not None and editing is None:
        raise HTTPException(404)
    draft = crud.save_draft(
        db,
        owner=user,
        message=form.message(),
        room_kind=form.room_kind if form.channel == "group" else None,
        findings=_findings(checker, form),
        draft=editing,
    )
    if request.headers.get("hx-request"):
        return HTMLResponse(f'<a href="/drafts/{draft.id}">{pick(lang, "已保存", "Saved")} #{draft.id}</a>')
    return _page(request, user, checker, form, "check.html", saved=draft.id, draft_id=draft.id)


@router.post("/check/image")
async def check_image(
    request: Request,
    user: OptionalUser,
    checker: CheckerDep,
    settings: SettingsDep,
    form: DraftFormDep,
    file: Annotated[UploadFile, File()],
) -> HTMLResponse:
    """A pasted, dropped or chosen screenshot: its text checked, the findings outlined on the picture.
    The draft form's channel, group and time apply; the picture is read in memory and not kept."""
    limit = settings.max_image_mb << 20
    data = await file.read(limit + 1)
    try:
        where = form.message().model_dump(include={"channel", "room", "room_name", "time"}, exclude_none=True)
    except ValidationError:
        where = {}
    picture, error = None, ""
    try:
        picture = await run_in_threadpool(
            check_picture, checker, data, where, max_bytes=limit, max_pixels=settings.max_image_pixels, thumbnail=True
        )
    except PictureError as problem:
        error = f"{file.filename}: {problem.text(lang_of(request))}"
    template = "_check_picture.html" if request.headers.get("hx-request") else "check.html"
    return _page(
        request, user, checker, form, template, status=422 if error else 200, picture=picture,
        picture_form=DraftForm(text=picture.reading.text if picture else ""), picture_error=error,
    )


@router.post("/check/fix")
def fix(request: Request, user: OptionalUser, checker: CheckerDep, form: DraftFormDep) -> HTMLResponse:
    """帮我改好: the draft fitted into a notice's shape (the CLI's ``check --fix``), its words unchanged."""
    lang = lang_of(request)
    try:
        sent = form.message().time
    except ValidationError:
        sent = None
    fixed = None
    if form.text.strip():
        result = fitted(form.text, sent, lang)
        added = (
            t("compose.list_separator", lang).join(t(f"compose.added.{key}", lang) for key in result.added)
            if result
            else ""
        )
        fixed = {"result": result, "title": t("fix.title", lang, added=added)}
    if request.headers.get("hx-request"):
        return render(request, "_check_fix.html", user, form=form, fix=fixed)
    return _page(request, user, checker, form, "check.html", fix=fixed)


@router.post("/check/notice")
def notice(
    request: Request,
    user: OptionalUser,
    checker: CheckerDep,
    title: Annotated[str, Form(max_length=200)] = "",
    to: Annotated[str, Form(max_length=200)] = "",
    items: Annotated[str, Form(max_length=5000)] = "",
    signature: Annotated[str, Form(max_length=200)] = "",
    day: Annotated[str, Form(max_length=10)] = "",
    reply: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    """The notice drafter (``qingfeng draft notice``): a well-formed notice from its parts."""
    lang = lang_of(request)
    error = ""
    when: date | None = None
    try:
        when = date.fromisoformat(day) if day else None
    except ValueError:
        error = pick(lang, f"日期应为 年-月-日，而不是 {day}", f"The date must be YYYY-MM-DD, not {day}")
    if not title.strip():
        error = pick(lang, "请填写事由。", "Give the subject.")
    drafted = (
        ""
        if error
        else draft_notice(
            title=title, to=to, items=items.splitlines(), signature=signature, day=when, reply=reply, lang=lang
        )
    )
    if request.headers.get("hx-request"):
        return render(request, "_check_notice.html", user, drafted=drafted, notice_error=error)
    form = DraftForm(text=drafted, time=datetime.now(DEFAULT_ZONE).strftime("%Y-%m-%dT%H:%M"))
    return _page(request, user, checker, form, "check.html", notice_error=error, status=422 if error else 200)
