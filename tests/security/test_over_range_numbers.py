"""Issue 18.6 and 18.8: `amount: 1e999999` or NaN gave a 500 (and failed a whole scan), `check --amount inf` a
traceback, and a very large integer id a 500 (OverflowError). Now: 422, a bad line the scan goes past, exit 2
with a message, and 422 or 404 for the id."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from .conftest import Service


@pytest.mark.parametrize("amount", ["1e999999", "-1e999999", "NaN", "1e13"])
def test_an_amount_out_of_range_is_422(service: Service, amount: str) -> None:
    body = f'{{"text": "红包", "type": "redpacket", "amount": {amount}}}'
    with httpx.Client(base_url=service.base, timeout=30) as http:
        answer = http.post("/api/check", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["amount"]


def test_a_scan_with_such_amounts_reports_the_lines_and_goes_on(service: Service, tmp_path: Path) -> None:
    archive = tmp_path / "红包.csv"  # CSV: JSON has no way to write these, a CSV cell does
    rows = ["text,type,amount", ",redpacket,1e999999", ",redpacket,NaN", ",redpacket,1e13",
            "收到红包 200 元，谢谢领导,redpacket,200"]
    archive.write_text("\n".join(rows) + "\n", encoding="utf-8")
    job = service.wait_job(service.upload(archive))
    assert job["status"] == "done" and job["messages"] == 1 and job["bad_lines"] == 3
    assert [problem.split("：")[0] for problem in job["problems"]] == [
        "红包.csv 第 2 行，「amount」", "红包.csv 第 3 行，「amount」", "红包.csv 第 4 行，「amount」"]


@pytest.mark.parametrize("amount", ["inf", "nan", "1e400"])
def test_check_with_an_infinite_amount_exits_2(amount: str) -> None:
    qingfeng = str(Path(sys.executable).parent / "qingfeng")
    done = subprocess.run([qingfeng, "check", "红包", "--type", "redpacket", "--amount", amount],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "amount" in done.stderr and "Traceback" not in done.stderr + done.stdout


def test_a_very_large_id_is_not_a_server_error(service: Service) -> None:
    huge = "9" * 30
    with service.client() as http:
        for path in (f"/api/scans/{huge}", f"/scans/{huge}", f"/api/scans/{2**63}"):
            assert http.get(path).status_code in (404, 422), path
