"""User-facing words outside the rulebook: Simplified Chinese by default, English with --lang en."""

from __future__ import annotations

LANGS = ("zh", "en")

_TEXT: dict[str, tuple[str, str]] = {
    "severity.info": ("提示", "info"),
    "severity.warn": ("警告", "warn"),
    "severity.block": ("禁止", "block"),
    "no_findings": ("未发现问题。", "No problems found."),
    "findings_count": ("发现 {n} 个问题：", "{n} finding(s):"),
    "advice": ("建议", "Advice"),
    "clause": ("依据", "Source"),
    "confidence": ("置信度", "confidence"),
    "whole_message": ("整条消息", "whole message"),
    "summary.title": ("扫描汇总", "Scan summary"),
    "summary.category": ("类别", "Category"),
    "summary.total": ("合计", "Total"),
    "summary.messages": ("已检查消息 {n} 条", "{n} messages checked"),
    "summary.flagged": ("有问题的消息 {n} 条", "{n} messages with findings"),
    "summary.bad_lines": ("无法读取的行 {n} 行（已跳过）", "{n} unreadable line(s) skipped"),
    "scan.progress": ("扫描中", "Scanning"),
    "error.nothing_read": ("{path}：没有读到任何消息", "{path}: no message could be read"),
    "rules.id": ("编号", "ID"),
    "rules.title": ("名称", "Title"),
    "rules.category": ("类别", "Category"),
    "rules.severity": ("级别", "Severity"),
    "rules.sources": ("条款", "Clauses"),
    "rules.what": ("检查什么", "What it does"),
    "rules.why": ("为什么", "Why is this bad?"),
    "rules.example": ("会被提示的例子", "Example"),
    "rules.use_instead": ("可以这样写", "Use instead"),
    "rules.fix": ("如何改正", "How to fix"),
    "rules.references": ("依据条款", "References"),
    "rules.scopes": ("适用范围", "Applies to"),
    "rules.everywhere": ("所有消息", "every message"),
    "rules.unknown": ("没有这条规则：{id}", "No such rule: {id}"),
    "coverage.clause": ("条款", "Clause"),
    "coverage.gist": ("要点", "Gist"),
    "coverage.coverage": ("覆盖", "Coverage"),
    "coverage.rules": ("规则", "Rules"),
    "coverage.checked": ("自动检查", "checked"),
    "coverage.guidance": ("指导", "guidance"),
    "coverage.not-checked": ("不检查", "not checked"),
    "category.secrecy": ("保密", "secrecy"),
    "category.privacy": ("隐私", "privacy"),
    "category.gifts": ("红包礼金", "gifts"),
    "category.fraud": ("诈骗", "fraud"),
    "category.spam": ("广告营销", "spam"),
    "category.chain": ("诱导转发", "chain"),
    "category.rumor": ("谣言", "rumor"),
    "category.vulgar": ("低俗", "vulgar"),
    "category.illegal": ("违法", "illegal"),
    "category.abuse": ("辱骂歧视", "abuse"),
    "category.etiquette": ("公文礼仪", "etiquette"),
    "category.group": ("群管理", "group"),
    "category.account": ("账号报备", "account"),
    "category.report": ("举报", "report"),
}


def t(key: str, lang: str = "zh", **values: object) -> str:
    zh, en = _TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
