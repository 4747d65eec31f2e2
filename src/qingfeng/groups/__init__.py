"""Work-group register and audits (issue 8): owners, real-name remarks, strangers, people who left,
unconfirmed notices, daily reports, and alerts to group owners.

The web application and the CLI call the same two functions:

    from qingfeng.groups import read_register, run_audit
    result = run_audit(read_register(groups_csv, members_csv, people_csv), as_of=day, messages=messages)
"""

from qingfeng.groups.audit import AuditResult, run_audit
from qingfeng.ingest.groups import Group, Member, Register, read_register

__all__ = ["AuditResult", "Group", "Member", "Register", "read_register", "run_audit"]
