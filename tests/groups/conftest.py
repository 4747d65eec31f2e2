"""Fixtures of the group-audit tests: a stand-in WeCom robot on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from groups_helpers import Robot


@pytest.fixture
def robot() -> Iterator[Callable[..., Robot]]:
    """Start robots answering the given (HTTP status, body) in turn, then plain success; stopped after the test."""
    made: list[Robot] = []

    def start(answers: list[tuple[int, object]] | None = None) -> Robot:
        robot = Robot(answers or [])
        robot.thread.start()
        made.append(robot)
        return robot

    yield start
    for robot in made:
        robot.server.shutdown()
        robot.server.server_close()
