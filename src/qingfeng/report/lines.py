"""The pre-send check's answer as lines of styled segments, with no terminal library: ``report.text`` prints
them with rich, and a plain check (``cli.quick``) writes them as they are where rich would print the same bytes
(output that is not a terminal, every line narrower than the console), without importing rich."""

from __future__ import annotations

import os
import sys

from qingfeng.core.i18n import t
from qingfeng.core.models import Finding, message_card
from qingfeng.rulebook.loader import Rulebook

Segment = tuple[str, str]  # text, rich style ("" for none)

SEVERITY_STYLE = {"info": "cyan", "warn": "bold yellow", "block": "bold white on red"}


def finding_lines(findings: list[Finding], rulebook: Rulebook, lang: str = "zh") -> list[list[Segment]]:
    """What follows the draft: that nothing was found, or how many findings and each one with its fix."""
    if not findings:
        return [[(t("no_findings", lang), "green")]]
    lines: list[list[Segment]] = [[(t("findings_count", lang, n=len(findings)), "")]]
    card = message_card(findings)
    assert card is not None
    for finding in card.findings:  # the leading finding first, then the ones that support it
        lines.append([("  ", ""), (f" {t('severity.' + finding.severity, lang)} ", SEVERITY_STYLE[finding.severity]),
                      (f" {finding.rule} {finding.title}", "bold"), (f" — {finding.message}", "")])
        where = f"「{finding.excerpt}」" if finding.start is not None else t("whole_message", lang)
        lines.append([(f"    {where}  {t('confidence', lang)} {finding.confidence:.2f}", "dim")])
        if doubted := finding.doubted(lang):  # why the verifier lowered it, so the writer can judge for themselves
            lines.append([(f"    {doubted}", "cyan")])
        separator = "：" if lang != "en" else ": "
        lines.append([(f"    {t('advice', lang)}{separator}{finding.advice}", "")])
        for clause_id in finding.sources[:3]:
            clause = rulebook.clauses.get(clause_id)
            gist = clause.gist(lang) if clause else ""
            lines.append([(f"    {t('clause', lang)} {clause_id}: {gist}", "dim")])
    return lines


# Characters whose width in a terminal cell rich counts as here (tests/test_quick_check.py compares each with
# rich's own table); any other character sends the answer through rich.
_WIDE = ((0x3000, 0x3029), (0x3030, 0x303E), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF01, 0xFF60))
_NARROW = ((0x20, 0x7E), (0xB7, 0xB7), (0x2010, 0x2027))


def _width(line: str) -> int | None:
    """Cells ``line`` takes, or None when it holds a character outside the tables above."""
    cells = 0
    for char in line:
        code = ord(char)
        if any(low <= code <= high for low, high in _NARROW):
            cells += 1
        elif any(low <= code <= high for low, high in _WIDE):
            cells += 2
        else:
            return None
    return cells


def console_width() -> int | None:
    """The width rich's console would wrap standard output at, when it is no terminal; None where rich might
    colour it or read its width from settings this does not follow."""
    if sys.platform == "win32" or sys.stdout.isatty() or any(
            name in os.environ for name in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE")):
        return None  # (on Windows rich reads other streams' sizes, and its legacy console is a column narrower)
    for descriptor in (0, 1, 2):  # as rich: the first standard stream that is a terminal gives the width
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


def plain_answer(text: str, lines: list[list[Segment]], width: int) -> str | None:
    """The draft and its answer as rich prints them to a file ``width`` cells wide, where no line needs
    wrapping, holds a character rich would transform or a cell width not known here; else None."""
    rows = [*text.split("\n"), *("".join(part for part, _ in line) for line in lines)]
    for row in rows:
        cells = _width(row)
        if cells is None or cells >= width:
            return None
    return "\n".join(rows) + "\n"
