"""The quiz: one defensible answer per question, in plain words, with the reason given after answering."""

from __future__ import annotations

import re

import pytest

from qingfeng.core.models import needs_attention
from qingfeng.learn.quiz import FINE, PROBLEM, Quiz
from qingfeng.pipeline.engine import Checker
from qingfeng.web.learning import option_labels, why


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    return Quiz(Checker())


def test_every_question_has_exactly_one_right_option(quiz: Quiz) -> None:
    assert {question_id.split("/")[0] for question_id in quiz.ids} == {"fine", "problem"}
    for question_id in quiz.ids:
        question = quiz.question(question_id)
        assert len(set(question.options) & question.correct) == 1, question_id
        assert len(set(question.options)) == len(question.options)


def test_every_question_shows_a_message_to_read(quiz: Quiz) -> None:
    # The rulebook has examples without text (a bare sticker, ETQ014); a question about one would show nothing.
    assert any(not example.text for rule in quiz.checker.rules for example in rule.examples.messages("fire"))
    assert all(quiz.question(question_id).example.text.strip() for question_id in quiz.ids)


def test_wrong_options_name_no_problem_the_checker_found(quiz: Quiz) -> None:
    for question_id in quiz.ids:
        question = quiz.question(question_id)
        present = {finding.category for finding in question.findings}
        if question.kind == "problem":
            assert question.rule.category in present
            assert not (set(question.options) - question.correct) & present, question_id
        else:
            # "Fine" and "could be better" would both hold for a message with only info-level tips.
            assert needs_attention(list(question.findings)) or not question.findings, question_id
            assert question.correct == {PROBLEM if question.findings else FINE}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_answers_are_plain_words_and_the_reason_follows(quiz: Quiz, lang: str) -> None:
    clause_code = re.compile(r"\b[a-z]{2,3}-[0-9]")  # the catalogue's clause ids look like tj-4, hb-3.2
    for question_id in quiz.ids:
        question = quiz.question(question_id)
        labels = [label for _, label in option_labels(question, lang)]
        assert all(
            label and not clause_code.search(label) and not re.search(r"[A-Z]{3}[0-9]{3}", label) for label in labels
        )
        reason = why(question, quiz.rulebook, lang)
        assert reason and not clause_code.search(reason), question_id
    problem = next(quiz.question(i) for i in quiz.ids if i.startswith("problem/"))
    right = dict(option_labels(problem, lang))[problem.rule.category]
    assert why(problem, quiz.rulebook, lang).startswith(right)
