"""POST /api/check: one message record in, its findings out. No sign-in, nothing stored."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Response

from qingfeng.models import Message
from qingfeng.web.api.deps import CheckerDep
from qingfeng.web.api.schemas import CheckResult

router = APIRouter(tags=["check"])


@router.post("/check", response_model=None, responses={200: {"model": CheckResult}})
def check(message: Message, checker: CheckerDep) -> Response:
    """Findings for a message record (`text`, `channel`, `room_name`, `time`, `type`, `amount`…)."""
    findings = checker.check(message)
    # Serialised straight from the finding records: the contract's exact keys, and the fastest path.
    return Response(orjson.dumps({"findings": [f.to_dict() for f in findings]}), media_type="application/json")
