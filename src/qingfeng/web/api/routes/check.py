"""POST /api/check: one message record in, its findings out. No sign-in, nothing stored."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, File, HTTPException, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from qingfeng.core.models import Message
from qingfeng.media import PictureError, check_picture
from qingfeng.pipeline.engine import Checker
from qingfeng.web.api.deps import CheckerDep, SettingsDep
from qingfeng.web.api.schemas import CheckResult, PictureCheckResult
from qingfeng.web.templating import lang_of

router = APIRouter(tags=["check"])
_BODY = {"content": {"application/json": {"schema": Message.model_json_schema()}}, "required": True}


@router.post(
    "/check", response_model=None, responses={200: {"model": CheckResult}}, openapi_extra={"requestBody": _BODY}
)
async def check(request: Request, checker: CheckerDep) -> Response:
    """Findings for a message record (`text`, `channel`, `room_name`, `time`, `type`, `amount`…).

    This is the hot path (benchmarked in bench/bench_web.py), so it skips the framework's generic body
    handling: the record is validated straight from the raw bytes and the finding records are serialised as
    they are. The body is bounded (`max_check_kb`, 413 past it) and checked in the thread pool, so a long
    draft never holds up the event loop and the other requests on it."""
    return await run_in_threadpool(_check, checker, await request.body())


def _check(checker: Checker, body: bytes) -> Response:
    try:
        message = Message.model_validate_json(body)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None
    findings = checker.check(message)
    return Response(orjson.dumps({"findings": [f.to_dict() for f in findings]}), media_type="application/json")


@router.post("/check/image", response_model=PictureCheckResult)
async def check_image(
    request: Request, checker: CheckerDep, settings: SettingsDep, file: Annotated[UploadFile, File()]
) -> Response:
    """The text in a picture (PNG, JPEG, WebP, HEIC) and its findings, each with the ``boxes`` it was read
    from. No sign-in; the picture is read in memory and nothing is stored."""
    limit = settings.max_image_mb << 20
    data = await file.read(limit + 1)
    try:
        # OCR takes about a second of CPU: off the event loop.
        result = await run_in_threadpool(
            check_picture, checker, data, max_bytes=limit, max_pixels=settings.max_image_pixels
        )
    except PictureError as error:
        status = 413 if error.reason == "too_large" else 422
        raise HTTPException(status, f"{file.filename}: {error.text(lang_of(request))}") from None
    return Response(orjson.dumps(result.to_dict()), media_type="application/json")
