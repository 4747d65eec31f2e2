"""User-facing words outside the rulebook: Simplified Chinese by default, English with --lang en."""

from __future__ import annotations

LANGS = ("zh", "en")

_TEXT: dict[str, tuple[str, str]] = {
    "severity.info": ("提示", "info"),
    # the verifier's account of a hit it lowered to advice (an explanation's last move)
    "verifier.lowered": ("核验模型{said}，不像违规（p={p:.2f}），降为提示，请人工判断",
                         "the verifier doubts it{said} (p={p:.2f}): lowered to advice, for a person to judge"),
    # a block the verifier is not confident of, shown at warn
    "verifier.unsure": ("核验模型{said}，把握不足（p={p:.2f}），由禁止降为警告，请人工判断",
                        "the verifier is not sure of it{said} (p={p:.2f}): moved from block to warn, for a person "
                        "to judge"),
    "verifier.move": ("；{account}", "; {account}"),
    "verifier.words": ("从上下文“{words}”看", " from the words around it: {words}"),
    "verifier.no_words": ("从规则与命中词看", " from the rule and the words it matched"),
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
    "summary.skipped": ("未检查的非消息记录 {n} 条：{kinds}",
                        "{n} record(s) that are not messages left out: {kinds}"),
    "scan.progress": ("扫描中", "Scanning"),
    "image.no_text": ("（图片中没有识别出文字）", "(no text recognised in the picture)"),
    "image.no_folder": ("图片文件夹不存在", "media folder not found"),
    "image.missing": ("找不到图片文件", "picture file not found"),
    "image.too_large": ("图片太大（超过 {limit}）", "picture too large (over {limit})"),
    "image.format": (
        "不是可识别的图片（支持 PNG、JPEG、WebP、HEIC）", "not a readable picture (PNG, JPEG, WebP, HEIC)"
    ),
    "image.no_ocr": (
        "未安装文字识别组件，请运行 pip install 'qingfeng[ocr]'",
        "text recognition is not installed: pip install 'qingfeng[ocr]'",
    ),
    "skipped.switch": ("切换会话记录", "switch records"),
    "skipped.msgtype": ("{kind}消息", "msgtype {kind}"),
    "scan.html.title": ("聊天记录合规扫描报告 · {name}", "Chat archive compliance scan · {name}"),
    "scan.html.subtitle": ("生成于 {when} · 规则库 {rulebook}", "Generated {when} · rulebook {rulebook}"),
    "scan.html.messages": ("已检查消息", "Messages checked"),
    "scan.html.flagged": ("有问题的消息", "Messages with findings"),
    "scan.html.bad_lines": ("无法读取的行", "Unreadable lines"),
    "scan.html.by_category": ("问题类别与级别", "Findings by category and severity"),
    "scan.html.heat": ("问题出现的时间（星期 × 小时）", "When findings happen (weekday × hour)"),
    "scan.html.heat_note": ("颜色越深，该时段的问题越多；按北京时间统计。",
                            "Darker cells hold more findings; China Standard Time."),
    "scan.html.weekday.0": ("周一", "Mon"),
    "scan.html.weekday.1": ("周二", "Tue"),
    "scan.html.weekday.2": ("周三", "Wed"),
    "scan.html.weekday.3": ("周四", "Thu"),
    "scan.html.weekday.4": ("周五", "Fri"),
    "scan.html.weekday.5": ("周六", "Sat"),
    "scan.html.weekday.6": ("周日", "Sun"),
    "scan.html.top_rooms": ("问题最多的群", "Groups with the most findings"),
    "scan.html.top_senders": ("问题最多的发送人", "Senders with the most findings"),
    "scan.html.none": ("无", "none"),
    "scan.html.findings": ("问题明细", "Findings"),
    "scan.html.sampled": (
        "共 {total} 个问题，此处按严重程度列出前 {shown} 个；完整清单请用 --format jsonl 导出。",
        "{total} findings in all; the {shown} most severe are listed here (--format jsonl has all).",
    ),
    "scan.html.rule": ("规则", "Rule"),
    "scan.html.sampled_cards": (
        "共 {total} 条有问题的消息，此处按严重程度列出前 {shown} 条；完整清单请用 --format jsonl 导出。",
        "{total} messages with findings; the {shown} most severe are listed here (--format jsonl has all).",
    ),
    "scan.html.supporting": ("同一消息另有", "Also on this message"),
    "scan.supporting": ("另有", "also"),
    "scan.html.message": ("消息原文（问题处已标出）", "Message (the problem marked)"),
    "scan.html.line": ("第 {line} 行", "line {line}"),
    "scan.html.recalled": ("已撤回", "recalled"),
    "scan.html.clauses": ("所依据的条款", "Clauses cited"),
    "scan.html.problems": ("无法读取的行（共 {n} 行）", "Unreadable lines ({n})"),
    "scan.html.footer": (
        "由 清风 qingfeng {version} 生成。本报告仅供内部合规自查，结论请人工复核。",
        "Made by qingfeng {version}. For internal compliance review; have a person confirm each finding.",
    ),
    "error.bad_window": (
        "--window「{window}」无法使用：请写成 08:00-22:00 这样的时段，开始早于结束，在同一天之内",
        "--window {window!r} cannot be used: write a span such as 08:00-22:00 that starts before it ends,"
        " within one day",
    ),
    "error.nothing_read": ("{path}：没有读到任何消息", "{path}: no message could be read"),
    "limit.decompressed": ("{path}：解压后超过 {limit} 的上限，已停止读取。",
                           "{path}: larger than {limit} once decompressed; reading stopped."),
    "limit.line": ("{path}：这一行超过 {limit} 的上限，已停止读取（文件可能损坏，或不是逐行的记录）。",
                   "{path}: this line is longer than {limit}; reading stopped (a damaged file, or not one "
                   "record per line)."),
    "limit.rows": ("{path}：超过 {limit} 行的上限，已停止读取。", "{path}: more than {limit} lines; reading stopped."),
    "limit.cells": ("{path}：表格超过 {limit} 个单元格的上限，已停止读取。",
                    "{path}: more than {limit} table cells; reading stopped."),
    "limit.job_failed": ("扫描出错，未能完成。请检查文件后重新上传。",
                         "The scan failed and did not finish. Check the file and upload it again."),
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
    # Official-message coach: drafting, --fix, the working calendar.
    "compose.subject": ("现将{title}有关事项通知如下：", "Subject: {title}"),
    "compose.colon": ("：", ":"),
    "compose.closing": ("特此通知。", "This is hereby notified."),
    "compose.closing_reply": ("特此通知，收到请回复。", "This is hereby notified. Please reply to confirm receipt."),
    "compose.placeholder.to": ("【请填写称呼，如：各位同事】", "[recipients, e.g. 各位同事]"),
    "compose.placeholder.items": ("【请填写事项】", "[the points]"),
    "compose.placeholder.signature": ("【请填写落款：单位或姓名】", "[signature: unit or name]"),
    "compose.placeholder.date": ("【请填写日期】", "[date]"),
    "compose.placeholder.subject": (
        "【请直接写明事由：什么事、需要对方做什么、何时之前】", "[state the matter: what it is, what you need, by when]"
    ),
    "compose.list_separator": ("、", ", "),
    "compose.added.subject": ("事由", "the subject"),
    "compose.added.salutation": ("称谓", "a salutation"),
    "compose.added.numbering": ("分条编号", "numbered points"),
    "compose.added.closing_notice": ("“特此通知”", "特此通知"),
    "compose.added.closing_reply": ("“收到请回复”", "收到请回复"),
    "compose.added.signature": ("落款", "a signature"),
    "compose.added.date": ("日期", "the date"),
    "fix.title": (
        "建议改写（只补充缺少的部分：{added}；原文不变）：", "Suggested rewrite (added: {added}; your words unchanged):"
    ),
    "fix.none": (
        "无需改写：这条消息不是通知或任务安排，或格式已经完整。",
        "No rewrite: not a notice or task, or nothing is missing.",
    ),
    "calendar.fallback_years": (
        "日历中没有 {years} 年的节假日安排，按周一至周五计算工作日（可用 --holidays 补充）",
        "The calendar does not know {years}; working days were taken as Monday to Friday (add them with --holidays)",
    ),
    "input.row_skipped": ("已跳过：{problem}", "skipped: {problem}"),
    # Bad input files (ingest.errors.InputProblem.of): what is wrong and what to do, never a path or a flag.
    "input.got": ("（实际为 {got}）", " (got {got})"),
    "input.more": ("（另有 {n} 行有误）", " (and {n} more bad row(s))"),
    "input.missing": ("缺少此项", "missing"),
    "input.empty": ("不能为空", "must not be empty"),
    "input.yes_no": ("应为 是/否（yes/no）", "expected yes or no"),
    "input.number": ("应为数字", "expected a number"),
    "input.time": ("应为时间，例如 2026-03-02 09:05", "expected a time such as 2026-03-02 09:05"),
    "input.date": ("应为日期，例如 2026-03-02", "expected a date such as 2026-03-02"),
    "input.one_of": ("应为以下之一：{expected}", "expected one of {expected}"),
    "input.negative": ("金额不能为负数", "must not be negative"),
    "input.nul": ("不能含有 NUL 字符", "must not contain NUL characters"),
    "input.amount": ("应为不小于 0 的金额（元）", "expected an amount of yuan, not negative"),
    "input.left_before_joined": ("退群日期早于入群日期", "`left` is before `joined`"),
    "input.end_before_start": ("结束日期早于开始日期", "end is before start"),
    "input.no_file": ("找不到文件", "no such file"),
    "input.cannot_open": ("无法打开文件（{why}）", "cannot open the file ({why})"),
    "input.not_text": ("不是文本或表格文件", "not a text or spreadsheet file"),
    "input.empty_file": ("文件是空的", "the file is empty"),
    "input.bad_encoding": (
        "这一行不是 {encoding} 编码的文字：请把文件另存为 UTF-8 的 CSV 或 Excel（.xlsx）后重试",
        "this line is not {encoding} text: save the file as UTF-8 CSV or Excel (.xlsx) and try again",
    ),
    "input.unknown_encoding": ("不认识的编码：{encoding}", "unknown encoding {encoding!r}"),
    "input.broken_gzip": ("压缩文件已损坏或不完整", "the compressed file is damaged or cut short"),
    "input.broken_xlsx": ("Excel 文件已损坏，无法读取", "the Excel file is damaged and cannot be read"),
    "input.bad_csv": ("表格格式有误（引号未闭合或一格过长）", "not a well-formed table (an open quote or a huge cell)"),
    "input.bad_json": ("不是有效的 JSON", "not valid JSON"),
    "input.not_object": ("应为一个 JSON 对象", "must be a JSON object"),
    "input.missing_columns": (
        "缺少列：{columns}。文件的表头是：{header}", "missing column(s): {columns}. The file's header is: {header}"
    ),
    "input.no_text_column": (
        "找不到消息内容列（例如「内容」「消息内容」「text」）。文件的表头是：{header}",
        "no column holds the message text (such as 内容, 消息内容 or text). The file's header is: {header}",
    ),
    "input.ragged_row": ("这一行的列数与表头不一致", "this row has another number of cells than the header"),
    "input.duplicate_id": ("编号 {id} 重复，只保留第一行", "the id {id} is repeated; the first row is kept"),
    "input.duplicate_day": ("{day} 出现了两次，只保留第一行", "{day} is listed twice; the first is kept"),
    "input.many_bad": ("共 {n} 行有误，下面只列出前 {shown} 行", "{n} bad rows; the first {shown} are listed"),
    "input.no_group": ("没有读到任何群", "no group could be read"),
    "input.no_transfer": ("没有读到任何转账", "no transfer could be read"),
    "input.no_official": ("人员表里没有人被标为公职人员（official 为 是/yes）", "no person is marked official=yes"),
    "input.room_kind": (
        "群类型应为 work（工作群）、notice（通知群）、project（项目群）、branch（支部群）、family（亲友群）、"
        "friends（朋友/兴趣群）或 other（其他群）",
        "expected one of work, notice, project, branch, family, friends, other",
    ),
    "input.group_twice": ("群 {room} 已在第 {first} 行登记过", "group {room!r} already registered on line {first}"),
    "input.group_unknown": ("群 {room} 不在群登记表中", "group {room!r} is not in the group register"),
    "input.member_twice": (
        "{member} 已在第 {first} 行登记为本群成员", "{member!r} already in this group on line {first}"
    ),
    "input.unknown_format": ("不认识的输入格式：{name}", "unknown input format {name!r}"),
    "input.msgtime": ("应为以毫秒计的时间戳", "milliseconds since the epoch expected"),
    "input.fen": ("红包金额应为以分计的整数", "amount in fen must be a whole number"),
    "input.transfer_kind": (
        "应为 redpacket（红包）、transfer（转账）或 giftcard（礼品卡）", "expected redpacket, transfer or giftcard"
    ),
    "input.transfer_status": (
        "应为 received（已收）、returned（已退还）或 pending（待收）", "expected received, returned or pending"
    ),
    "input.toml": ("不是有效的 TOML 配置（{detail}）", "not valid TOML: {detail}"),
    # groups: the work-group register and audits (qingfeng groups audit)
    "groups.title": ("工作群审计（截至 {as_of}）", "Work-group audit (as of {as_of})"),
    "groups.kind.work": ("工作群", "work group"),
    "groups.kind.notice": ("通知群", "notice group"),
    "groups.kind.project": ("项目群", "project group"),
    "groups.kind.branch": ("支部群", "branch group"),
    "groups.kind.family": ("亲友群", "family group"),
    "groups.kind.friends": ("朋友/兴趣群", "friends group"),
    "groups.kind.other": ("其他群", "other group"),
    "groups.owner": ("群主", "owner"),
    "groups.no_owner": ("未登记", "none"),
    "groups.missing.unacknowledged_notice": ("未确认", "not confirmed"),
    "groups.missing.daily_report": ("未汇报", "no report"),
    "groups.sender": ("发送人", "sender"),
    "groups.expected": ("应为", "expected"),
    "groups.deadline": ("确认期限", "deadline"),
    "groups.clean": ("所有登记的群均未发现问题。", "No problems found in the registered groups."),
    "groups.summary": (
        "{groups} 个群，{memberships} 条成员记录，{people} 名登记人员；发现问题 {findings} 个",
        "{groups} groups, {memberships} memberships, {people} registered people; {findings} finding(s)",
    ),
    "groups.archive": (
        "聊天记录 {messages} 条：{outside} 条不属于登记的群，{after} 条晚于审计日（未计入）",
        "{messages} archive messages: {outside} outside the registered groups, "
        "{after} after the audit day (left out)",
    ),
    "groups.no_archive": (
        "未提供聊天记录（--archive），通知确认、每日汇报和群内容提醒未检查。",
        "No archive (--archive): notices, daily reports and content alerts were not checked.",
    ),
    "groups.problems": ("{n} 行输入有误，已跳过：", "{n} bad input row(s) left out:"),
    "groups.more_problems": ("……另有 {n} 行", "… and {n} more"),
    "groups.activity.title": ("各群消息情况", "Messages per group"),
    "groups.activity.group": ("群", "Group"),
    "groups.activity.messages": ("消息", "Messages"),
    "groups.activity.senders": ("发言人", "Senders"),
    "groups.activity.off_topic": ("闲聊占比", "Off-topic"),
    "groups.activity.after_hours": ("非工作时间占比", "After hours"),
    "groups.activity.alerts": ("禁止级问题", "Block-level"),
    "groups.alert.heading": (
        "清风提醒：{owner}负责的群（截至 {as_of}）", "qingfeng: groups owned by {owner} (as of {as_of})"
    ),
    "groups.alert.no_owner": ("未登记群主的群", "groups with no registered owner"),
    "groups.alert.count": (
        "共 {n} 个问题，其中需处理的 {attention} 个。", "{n} finding(s), {attention} to act on."
    ),
    "groups.alert.more": (
        "……另有 {n} 个问题，请查看完整审计报告。", "… and {n} more; see the full audit report."
    ),
    "groups.notify.sent": ("已提醒 {owner}（{attempts} 次尝试）", "alerted {owner} ({attempts} attempt(s))"),
    "groups.notify.failed": ("提醒 {owner} 失败：{error}", "could not alert {owner}: {error}"),
    "groups.notify.no_webhook": (
        "{owner} 没有配置 webhook（也没有 fallback），提醒未发送",
        "no webhook for {owner} (and no fallback): alert not sent",
    ),
    "groups.notify.nothing": ("没有需要提醒群主的问题。", "Nothing to alert any owner about."),
    "groups.html.findings": ("各群问题", "Findings per group"),
    "groups.html.subject": ("问题", "Finding"),
    "groups.html.footer": (
        "规则库 {rulebook} · 清风 {version} · 生成于 {when}",
        "rulebook {rulebook} · qingfeng {version} · generated {when}",
    ),
    # Ledger screening (qingfeng ledger): the data behind each finding, then the report's words.
    "ledger.relation.subordinate": ("下属", "subordinate"),
    "ledger.relation.client": ("服务/管理对象", "client"),
    "ledger.relation.business": ("业务往来方", "business contact"),
    "ledger.relation.superior": ("上级", "superior"),
    "ledger.relation.colleague": ("同事", "colleague"),
    "ledger.relation.family": ("亲属", "family"),
    "ledger.relation.friend": ("朋友", "friend"),
    "ledger.relation.none": ("无登记关系", "no recorded relation"),
    "ledger.money.one": ("{each} 元", "{each} yuan"),
    "ledger.money.same": ("{n} 笔各 {each} 元", "{n} transfers of {each} yuan"),
    "ledger.money.mixed": (
        "{n} 笔共 {total} 元（最大一笔 {max} 元）", "{n} transfers totalling {total} yuan (largest {max})"
    ),
    "ledger.span.day": ("于 {day} ", "on {day}"),
    "ledger.span.days": ("在 {days} 天内（{first}—{last}）", "in {days} days ({first} to {last})"),
    "ledger.why.interested_party": (
        "{who}（{relation}）{span}转给{subject} {money}{over}",
        "{money} from {who} ({relation}) to {subject} {span}{over}",
    ),
    "ledger.why.over": (
        "，超过每笔 {limit} 元或 {days} 天 {cp_limit} 元的标准",
        ", beyond {limit} yuan a transfer or {cp_limit} yuan in {days} days",
    ),
    "ledger.why.beyond_reciprocity": (
        "{who}（{relation}）{span}转给{subject} {money}，超出礼尚往来标准（每笔 {limit} 元、{days} 天 {cp_limit} 元）",
        "{money} from {who} ({relation}) to {subject} {span}, beyond normal reciprocity "
        "({limit} yuan a transfer, {cp_limit} yuan in {days} days)",
    ),
    "ledger.why.work_hours_group": (
        "{subject}在工作日工作时间（{hours}）于工作群“{room}”收到 {money}",
        "{subject} received {money} in the work group “{room}” during working hours ({hours}) on working days",
    ),
    "ledger.why.repeated_small": (
        "{who}（{relation}）{span}向{subject}转了 {money}，每笔不超过 {limit} 元，合计超过 {total_limit} 元",
        "{money} from {who} ({relation}) to {subject} {span}: each within {limit} yuan, together beyond {total_limit}",
    ),
    "ledger.why.vote_buying": (
        "{who}在{unit}选举期（{start}—{end}）及前 {lead} 天内向 {members} 名成员发红包 {money}",
        "{who} sent red envelopes to {members} members of {unit} around its election ({start} to {end}, "
        "and the {lead} days before): {money}",
    ),
    "ledger.why.giftcard": (
        "{who}（{relation}）{span}送给{subject}礼品卡/电子券 {money}",
        "Gift cards / e-coupons from {who} ({relation}) to {subject} {span}: {money}",
    ),
    "ledger.why.redpacket_gambling": (
        "“{room}”在 {day} 有 {links} 次红包接龙（手气最佳者接着发下一个），"
        "{packets} 个小额红包共 {total} 元，{players} 人参与",
        "“{room}” on {day}: {links} red-envelope chain links (the luckiest receiver sends the next), "
        "{packets} small packets worth {total} yuan, {players} players",
    ),
    "ledger.why.not_returned": (
        "{subject}收到的 {money}（{rule}）已超过 {days} 天退还期限仍未退还",
        "{money} received by {subject} ({rule}) still not returned after the {days}-day deadline",
    ),
    "ledger.why.raised": (
        "；在工作时间于工作群中收取，级别提高", "; taken in a work group during working hours, so raised"
    ),
    "ledger.why.resolved": ("；已在 {days} 天内全部退还，降为提示", "; all returned within {days} days, so only info"),
    "ledger.excerpt": ("{who} → {subject}：{n} 笔 {total} 元", "{who} → {subject}: {n} × {total} yuan"),
    "ledger.title": ("红包与转账台账筛查", "Red-envelope and transfer ledger screening"),
    "ledger.summary": (
        "读取 {read} 笔，筛查 {screened} 笔，{bad} 行无法读取；发现 {n} 个问题（截至 {as_of}）",
        "{read} rows read, {screened} screened, {bad} unreadable; {n} finding(s) (as of {as_of})",
    ),
    "ledger.problems": ("{n} 行无法读取，已跳过：", "{n} row(s) could not be read and were skipped:"),
    "ledger.more_problems": ("……另有 {n} 行", "… and {n} more"),
    "ledger.heading": ("{name}{unit} — 涉及 {amount} 元", "{name}{unit} — {amount} yuan"),
    "ledger.members": ("{unit} {n} 名成员", "{n} members of {unit}"),
    "ledger.officials": ("各公职人员汇总", "Per official"),
    "ledger.official": ("公职人员", "Official"),
    "ledger.findings": ("问题", "Findings"),
    "ledger.amount": ("涉及金额（元）", "Amount (yuan)"),
    "ledger.worst": ("最高级别", "Worst"),
    "ledger.timeline": ("被标记资金时间线", "Timeline of flagged money"),
    "ledger.flows": ("资金流向（谁付给谁）", "Who paid whom"),
    "ledger.details": ("问题明细", "Findings in detail"),
    "ledger.transfers": ("涉及的转账", "Transfers"),
    "ledger.score": ("分值", "score"),
    "ledger.nothing": ("未发现问题。", "No problems found."),
}


# WeCom message kinds left out of a scan, as the WeCom client names them.
_MSGTYPES_ZH = {
    "vote": "投票", "calendar": "日程", "video": "视频", "card": "名片", "location": "位置", "chatrecord": "聊天记录",
    "todo": "待办", "collect": "填表", "meeting": "会议邀请", "docmsg": "在线文档", "news": "图文", "mixed": "图文混排",
    "agree": "同意存档", "disagree": "不同意存档", "meeting_voice_call": "会议语音", "voip_doc_share": "共享文档",
    "sphfeed": "视频号",
}


def skipped_kind(kind: str, lang: str) -> str:
    """A kind of record a scan left out (``switch``, ``msgtype vote``…) in the user's language."""
    if kind == "switch":
        return t("skipped.switch", lang)
    msgtype = kind.removeprefix("msgtype ")
    return t("skipped.msgtype", lang, kind=msgtype if lang == "en" else _MSGTYPES_ZH.get(msgtype, msgtype))


# What the audit log records (crud.audit's ``action``), as the admin page names it.
_AUDIT_ACTIONS = {
    "finding.decide": ("审核了问题", "decided a finding"),
    "finding.view": ("查看了问题", "viewed a finding"),
    "findings.view": ("查看了问题列表", "viewed the findings"),
    "groups.audit": ("审计了工作群", "audited the work groups"),
    "ledger.screen": ("筛查了红包台账", "screened a ledger"),
    "login": ("登录", "signed in"),
    "login.failed": ("登录失败", "failed to sign in"),
    "login.throttled": ("登录过于频繁被暂停", "sign-in throttled"),
    "report.handle": ("处理了举报", "handled a report"),
    "report.view": ("查看了举报", "viewed a report"),
    "scan.upload": ("上传了聊天记录扫描", "uploaded an archive to scan"),
    "user.add": ("添加了账号", "added an account"),
    "user.change": ("修改了账号", "changed an account"),
}


def audit_action(action: str, lang: str) -> str:
    """An audit-log action in the user's language (an action not listed here as it was recorded)."""
    zh, en = _AUDIT_ACTIONS.get(action, (action, action))
    return en if lang == "en" else zh


def has_text(key: str) -> bool:
    return key in _TEXT


def t(key: str, lang: str = "zh", **values: object) -> str:
    zh, en = _TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
