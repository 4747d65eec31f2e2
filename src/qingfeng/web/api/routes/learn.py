"""The quiz built from the rules' examples, and the scores it keeps per person."""

from __future__ import annotations

import random

from fastapi import APIRouter, HTTPException, Request

from qingfeng.learn.quiz import Quiz
from qingfeng.store import crud
from qingfeng.web.api.deps import CurrentUser, OfficerUser, OptionalUser, SessionDep
from qingfeng.web.api.schemas import AnswerIn, AnswerOut, Option, QuestionOut, ScoreOut
from qingfeng.web.learning import option_labels, prompt, why

router = APIRouter(prefix="/quiz", tags=["learning"])
_rng = random.SystemRandom()


def _quiz(request: Request) -> Quiz:
    return request.app.state.quiz


@router.get("/question", response_model=QuestionOut)
def question(request: Request, avoid: str | None = None, lang: str = "zh") -> QuestionOut:
    """A random question (not the one named by `avoid`)."""
    asked = _quiz(request).pick(_rng, avoid)
    return QuestionOut(
        id=asked.id,
        kind=asked.kind,
        prompt=prompt(asked, lang),
        text=asked.example.text,
        channel=asked.example.channel,
        room_name=asked.example.room_name,
        options=[Option(value=v, label=label) for v, label in option_labels(asked, lang)],
    )


@router.post("/answer", response_model=AnswerOut)
def answer(body: AnswerIn, request: Request, db: SessionDep, user: OptionalUser, lang: str = "zh") -> AnswerOut:
    """Check an answer; it counts towards the caller's score when signed in."""
    try:
        asked = _quiz(request).question(body.question)
    except KeyError:
        raise HTTPException(404, "no such question") from None
    correct = asked.is_correct(body.answer)
    if user is not None:
        crud.record_attempt(db, user=user, question=asked.id, answer=body.answer[:64], correct=correct)
    return AnswerOut(
        correct=correct,
        answers=sorted(asked.correct),
        rule=asked.rule.id,
        why=why(asked, _quiz(request).rulebook, lang),
        findings=[f.to_dict() for f in asked.findings],  # type: ignore[misc]
    )


@router.get("/scores", response_model=list[ScoreOut])
def my_score(db: SessionDep, user: CurrentUser) -> list[ScoreOut]:
    return [ScoreOut(name=s.name, correct=s.correct, total=s.total) for s in crud.scores(db, user=user)]


@router.get("/scoreboard", response_model=list[ScoreOut])
def scoreboard(db: SessionDep, officer: OfficerUser) -> list[ScoreOut]:
    return [ScoreOut(name=s.name, correct=s.correct, total=s.total) for s in crud.scores(db)]
