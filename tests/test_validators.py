"""Recognizers and their validators: (payload, should_flag) tables, in detect-secrets' style."""

from __future__ import annotations

import pytest

from qingfeng.detectors.patterns import RECOGNIZERS
from qingfeng.detectors.validators import (
    luhn_ok,
    mobile_ok,
    resident_id_check_digit,
    resident_id_checksum_ok,
    resident_id_plausible,
)
from qingfeng.text.normalize import normalize


def _matches(name: str, text: str) -> list[tuple[str, float]]:
    recognizer = RECOGNIZERS[name]
    norm = normalize(text).text
    found = []
    for match in recognizer.pattern.finditer(norm):
        verdict = recognizer.validate(match.group())
        if verdict is not None:
            found.append((match.group(), verdict[0]))
    return found


@pytest.mark.parametrize(
    ("number", "plausible", "checksum"),
    [
        ("110105194912310021", True, False),
        ("11010519491231002X", True, True),
        ("410523196008171310", True, True),
        ("410102198706203959", True, False),  # right shape, wrong check digit
        ("990105194912310021", False, False),  # no such province
        ("110105194913310021", False, False),  # month 13
        ("110105203012310021", False, False),  # born in the future
    ],
)
def test_resident_id_validation(number: str, plausible: bool, checksum: bool) -> None:
    assert resident_id_plausible(number) is plausible
    if plausible:
        assert resident_id_checksum_ok(number) is checksum


def test_check_digit_is_iso_7064_mod_11_2() -> None:
    assert resident_id_check_digit("11010519491231002") == "X"


@pytest.mark.parametrize(
    ("number", "valid"), [("4111111111111111", True), ("6222021602013358272", True), ("6222021602013358271", False)]
)
def test_luhn(number: str, valid: bool) -> None:
    assert luhn_ok(number) is valid


@pytest.mark.parametrize(("number", "valid"), [("13812345678", True), ("12812345678", False), ("1381234567", False)])
def test_mobile_ranges(number: str, valid: bool) -> None:
    assert mobile_ok(number) is valid


@pytest.mark.parametrize(
    ("name", "text", "should_flag"),
    [
        ("resident_id", "身份证11010519491231002X", True),
        ("resident_id", "身份证１１０１０５１９４９１２３１００２Ｘ", True),  # full width
        ("resident_id", "身份证 110105 19491231 002X", True),  # spaced
        ("resident_id", "订单202603021234567890", False),  # no province 20, and 20 digits
        ("resident_id", "ID 110105194912310021 and phone 13812345678", True),
        ("mobile", "电话138 1234 5678", True),
        ("mobile", "电话１３８-１２３４-５６７８", True),
        ("mobile", "壹叁捌壹贰叁肆伍陆柒捌", True),
        ("mobile", "138\n1234 5678", True),
        ("mobile", "编号12345678901", False),
        ("mobile", "号码138123456789", False),  # twelve digits: not a mobile
        ("bank_card", "卡号6222 0216 0201 3358 272", True),
        ("bank_card", "卡号6222021602013358271", True),  # Luhn fails: still found, at low confidence
        ("email", "发到 zhang.san@example.com", True),
        ("landline", "座机0371-63621234", True),
        ("phishing_url", "请点击 http://tax-tuishui.cc 登记", True),
        ("phishing_url", "登录 https://etax.chinatax.gov.cn 办理", False),
        ("phishing_url", "详见 www.example.com", False),
        ("phishing_url", "请登录移动手机营业厅网址http://www.10086.cn", False),  # the carrier's own site
        ("phishing_url", "请登录 http://www.10086-cn.top 领取", True),  # its name borrowed
        ("phishing_url", "请登录 http://10086.cn.kf-vip.com 领取", True),
    ],
)
def test_recognizers(name: str, text: str, should_flag: bool) -> None:
    assert bool(_matches(name, text)) is should_flag


def test_invalid_checksums_lower_confidence() -> None:
    [(_, valid)] = _matches("resident_id", "11010519491231002X")
    [(_, invalid)] = _matches("resident_id", "110105194912310021")
    assert invalid < valid
    [(_, luhn_fail)] = _matches("bank_card", "6222021602013358271")
    assert luhn_fail < 0.5
