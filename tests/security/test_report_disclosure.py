"""Reading reports from a copy of the database: every text of a report is sealed with a key kept outside it
(0600 key file); reports filed before sealing are sealed at start; reports go at the expiry an admin sets;
the receipt holder never sees the officers' note or names."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import text

from qingfeng.store import crud
from qingfeng.store.db import alembic_config, make_engine, session_factory
from qingfeng.store.models import Report, utcnow
from qingfeng.store.security import Vault
from qingfeng.web.core.config import Settings

from .conftest import Site, ThreadedServer, unique


def raw_rows(site: Site) -> str:
    """Everything stored for reports and their messages, as the database holds it."""
    with site.db() as db:
        rows = db.execute(text("SELECT * FROM reports")).all() + db.execute(text("SELECT * FROM report_messages")).all()
    return repr(rows)


def officer_token(site: Site, role: str = "officer") -> dict[str, str]:
    from .test_stolen_token import token_for

    return {"Authorization": f"Bearer {token_for(site, site.add_user(role))[1]}"}


def test_report_texts_are_not_stored_in_the_clear(site: Site) -> None:
    secret, contact, reply, note, message = (unique(word) for word in ("举报内容", "联系", "答复", "备注", "留言"))
    client = site.client()
    receipt = client.http.post("/api/reports", json={"text": secret, "contact": contact}).json()["receipt"]
    auth = officer_token(site)
    case = next(c for c in client.http.get("/api/report-cases", headers=auth).json() if c["text"] == secret)
    assert case["contact"] == contact
    body = {"status": "in_progress", "reply": reply, "note": note}
    assert client.http.put(f"/api/report-cases/{case['id']}", headers=auth, json=body).status_code == 200
    assert client.http.post(f"/api/reports/{receipt}/messages", json={"text": message}).status_code == 201
    stored = raw_rows(site)
    for plain in (secret, contact, reply, note, message):
        assert plain not in stored
    key_file = site.settings.data_dir / "report.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() not in stored


def test_reports_filed_before_sealing_are_sealed_at_start(site: Site) -> None:
    plain = unique("旧举报")
    with site.db() as db:
        db.execute(
            text(
                "INSERT INTO reports (receipt_digest, text, status, reply, note, sealed, created_at, updated_at) "
                "VALUES (:digest, :text, 'received', '', '', false, :now, :now)"
            ),
            {"digest": unique("d"), "text": plain, "now": utcnow()},
        )
        db.commit()
    assert plain in raw_rows(site)
    with ThreadedServer(site.settings):  # a (re)start seals what is left in the clear
        pass
    assert plain not in raw_rows(site)
    vault = Vault.from_settings(None, site.settings.data_dir / "report.key")
    with site.db() as db:
        sealed = db.execute(text("SELECT text FROM reports WHERE sealed AND receipt_digest LIKE 'd-%'")).scalars()
        assert plain in {vault.open(value) for value in sealed}


def test_the_receipt_holder_sees_the_conversation_not_the_officers(site: Site) -> None:
    client = site.client()
    receipt = client.http.post("/api/reports", json={"text": "双向沟通"}).json()["receipt"]
    auth = officer_token(site)
    case = next(c for c in client.http.get("/api/report-cases", headers=auth).json() if c["text"] == "双向沟通")
    asked = client.http.post(f"/api/report-cases/{case['id']}/messages", headers=auth, json={"text": "请问是哪天？"})
    assert asked.status_code == 201 and asked.json()["messages"][0]["officer"]
    client.http.put(f"/api/report-cases/{case['id']}", headers=auth, json={"status": "in_progress", "note": "内部"})
    answered = client.http.post(f"/api/reports/{receipt}/messages", json={"text": "三月二日"})
    seen = answered.json()
    conversation = [(m["author"], m["body"]) for m in seen["messages"]]
    assert conversation == [("officer", "请问是哪天？"), ("reporter", "三月二日")]
    assert "note" not in seen and all("officer" not in m for m in seen["messages"])
    thread = client.http.get(f"/api/report-cases/{case['id']}", headers=auth).json()["messages"]
    assert [m["body"] for m in thread] == ["请问是哪天？", "三月二日"]


def test_reports_are_deleted_at_the_expiry_an_admin_sets(site: Site) -> None:
    client = site.client()
    receipt = client.http.post("/api/reports", json={"text": "到期删除"}).json()["receipt"]
    default = client.http.get(f"/api/reports/{receipt}").json()["expires_at"]
    assert default  # QINGFENG_REPORT_RETENTION_DAYS (365) from filing
    officer, admin = officer_token(site), officer_token(site, "admin")
    case = next(c for c in client.http.get("/api/report-cases", headers=admin).json() if c["text"] == "到期删除")
    past = (utcnow() - timedelta(minutes=1)).isoformat()
    expiry = f"/api/report-cases/{case['id']}/expiry"
    assert client.http.put(expiry, headers=officer, json={"expires_at": past}).status_code == 403
    assert client.http.put(expiry, headers=admin, json={"expires_at": None}).status_code == 200
    assert client.http.get(f"/api/reports/{receipt}").json()["expires_at"] is None
    assert client.http.put(expiry, headers=admin, json={"expires_at": past}).status_code == 200
    assert all(c["id"] != case["id"] for c in client.http.get("/api/report-cases", headers=officer).json())
    assert client.http.get(f"/api/reports/{receipt}").status_code == 404
    with site.db() as db:
        left = db.execute(text("SELECT count(*) FROM reports WHERE id = :id"), {"id": case["id"]}).scalar()
    assert left == 0


def test_a_database_from_before_sealing_is_upgraded_and_sealed(tmp_path: Path) -> None:
    """Reports in a database of the first schema come through the migration intact and are sealed at start."""
    settings = Settings(data_dir=tmp_path)
    engine = make_engine(settings.db_url)
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO reports (receipt_digest, text, contact, status, reply, note, created_at, updated_at) "
                "VALUES ('old', '旧库里的举报', '旧联系方式', 'received', '旧答复', '', :now, :now)"
            ),
            {"now": utcnow()},
        )
    engine.dispose()
    with ThreadedServer(settings):
        pass
    engine = make_engine(settings.db_url)
    with session_factory(engine)() as db:
        stored = repr(db.execute(text("SELECT * FROM reports")).all())
        case = crud.open_case(db, Vault.from_settings(None, tmp_path / "report.key"), db.query(Report).one())
    engine.dispose()
    assert "旧" not in stored
    assert (case.text, case.contact, case.reply, case.expires_at) == ("旧库里的举报", "旧联系方式", "旧答复", None)
