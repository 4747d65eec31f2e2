"""学习: a quiz from the rules' examples. Anyone may practise; signed-in answers count towards a score."""

from __future__ import annotations

import random
from typing import Annotated

from fastapi import Form, HTTPException, Request
from fastapi.responses import HTMLResponse

from qingfeng.learn.quiz import Question, Quiz
from qingfeng.store import crud
from qingfeng.store.models import User
from qingfeng.web.api.deps import OfficerUser, OptionalUser, SessionDep
from qingfeng.web.learning import option_labels, prompt, why
from qingfeng.web.pages.common import page_router
from qingfeng.web.templating import lang_of, render

router = page_router()
_rng = random.SystemRandom()


def _quiz(request: Request) -> Quiz:
    return request.app.state.quiz


def _question_context(request: Request, question: Question) -> dict[str, object]:
    lang = lang_of(request)
    return {"q": question, "prompt": prompt(question, lang), "options": option_labels(question, lang)}


def _my_score(db: SessionDep, user: User | None) -> crud.Score | None:
    if user is None:
        return None
    found = crud.scores(db, user=user)
    return found[0] if found else crud.Score(user.shown_name, 0, 0)


@router.get("/learn")
def learn(request: Request, db: SessionDep, user: OptionalUser, avoid: str | None = None) -> HTMLResponse:
    question = _quiz(request).pick(_rng, avoid)
    template = "_quiz.html" if request.headers.get("hx-request") else "learn.html"
    return render(request, template, user, score=_my_score(db, user), **_question_context(request, question))


@router.post("/learn/answer")
def answer(
    request: Request,
    db: SessionDep,
    user: OptionalUser,
    question: Annotated[str, Form(max_length=64)],
    answer: Annotated[str, Form(max_length=64)] = "",
) -> HTMLResponse:
    try:
        asked = _quiz(request).question(question)
    except KeyError:
        raise HTTPException(404) from None
    correct = asked.is_correct(answer)
    if user is not None:
        crud.record_attempt(db, user=user, question=asked.id, answer=answer, correct=correct)
    return render(
        request,
        "_quiz_result.html",
        user,
        correct=correct,
        answer=answer,
        score=_my_score(db, user),
        rulebook=_quiz(request).rulebook,
        why=why(asked, _quiz(request).rulebook, lang_of(request)),
        **_question_context(request, asked),
    )


@router.get("/learn/scores")
def scores(request: Request, db: SessionDep, officer: OfficerUser) -> HTMLResponse:
    return render(request, "scores.html", officer, scores=crud.scores(db))
