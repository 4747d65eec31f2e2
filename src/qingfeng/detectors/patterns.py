"""Pattern detectors: a regular expression over the normalised text, narrowed by a validator.

Named recognizers cover identifiers whose shape alone is not enough (resident IDs, bank cards, phone
numbers); a rule may also give its own ``regex``. Matching, validation and context are separate steps:
the recognizer matches and validates, the rule's companions must be near; the pipeline's context stage then
looks at the words around the hit (allow-phrases before it: one's own number, a notice's contact line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from qingfeng.core.models import Validation
from qingfeng.detectors.base import Detector, Doc, Hit, Terms, register
from qingfeng.detectors.companions import Companions, KeywordSpec, with_companions
from qingfeng.detectors.prefilter import batch_gate, present, required_literals
from qingfeng.detectors.validators import (
    luhn_ok,
    mobile_ok,
    resident_id_checksum_ok,
    resident_id_plausible,
)


@dataclass(frozen=True, slots=True)
class Recognizer:
    name: str
    pattern: re.Pattern[str]
    # Cheap test that must pass before the pattern is tried at all.
    prefilter: re.Pattern[str]
    # Confidence of a match, why, and the check it passed or failed; None drops it.
    validate: Callable[[str], Validated | None]


Validated = tuple[float, str, Validation | None]

_LONG_DIGITS = re.compile("[0-9]{7}")
_CHECK_DIGIT = (Validation("resident_id_check_digit", True), Validation("resident_id_check_digit", False))
_LUHN = (Validation("luhn", True), Validation("luhn", False))
_MOBILE = Validation("mobile_prefix", True)


def _resident_id(number: str) -> Validated | None:
    if not resident_id_plausible(number):
        return None
    if resident_id_checksum_ok(number):
        return 0.95, "resident ID, check digit valid", _CHECK_DIGIT[0]
    return 0.6, "resident ID shape, check digit invalid", _CHECK_DIGIT[1]


def _bank_card(number: str) -> Validated | None:
    if len(number) == 18 and resident_id_plausible(number):
        return None  # an ID number, reported by its own recognizer
    if luhn_ok(number):
        return 0.9, "card number, Luhn check valid", _LUHN[0]
    return 0.45, "card-number shape, Luhn check invalid", _LUHN[1]


def _mobile(number: str) -> Validated | None:
    return (0.85, "mainland mobile number", _MOBILE) if mobile_ok(number) else None


def _constant(confidence: float, why: str) -> Callable[[str], Validated]:
    return lambda _: (confidence, why, None)


_SUSPICIOUS_TLDS = frozenset(
    ("top", "xyz", "vip", "cc", "club", "icu", "shop", "live", "work", "site", "online", "ltd", "tk", "ml", "buzz")
)
# Names scammers borrow, as whole host tokens (short ones) or anywhere in the host (long ones).
_AUTHORITY_TOKENS = frozenset(("gov", "tax", "sw", "sb", "etc", "fy", "gaj", "jf", "wx", "qq", "yh", "sf", "ems", "jd"))
_AUTHORITY_WORDS = (
    "shuiwu", "shebao", "12306", "10086", "10010", "bank", "gongan", "police", "court", "fayuan", "chuanpiao",
    "weixin", "wechat", "alipay", "zhifubao", "taobao", "yibao", "gjj", "kuaidi", "shunfeng",
)
# The registered domains of the carriers, banks and platforms whose names the look-alikes borrow: their own
# site (www.10086.cn, weixin.qq.com) is the authority itself, not a look-alike.
_OFFICIAL_DOMAINS = (
    "10086.cn", "10010.com", "10010.cn", "189.cn", "12306.cn", "95598.cn", "qq.com", "alipay.com", "taobao.com",
    "tmall.com", "jd.com", "icbc.com.cn", "ccb.com", "abchina.com", "boc.cn", "bankcomm.com", "cmbchina.com",
    "psbc.com", "ems.com.cn", "sf-express.com",
)
_LOGIN_PATHS = re.compile(r"/(?:login|signin|verify|auth|renzheng|denglu)\b")


def _phishing_url(url: str) -> Validated | None:
    address = re.sub(r"^(?:https?://)?", "", url)
    host = address.split("/", 1)[0].split(":", 1)[0]
    if host.endswith(".gov.cn") or "." not in host or any(
        host == domain or host.endswith("." + domain) for domain in _OFFICIAL_DOMAINS
    ):
        return None
    labels = host.split(".")
    if labels[-1] in _SUSPICIOUS_TLDS:
        return 0.8, f"link to a throw-away domain (.{labels[-1]})", None
    tokens = set(re.split(r"[-.]", host))
    if tokens & _AUTHORITY_TOKENS or any(word in host for word in _AUTHORITY_WORDS):
        return 0.7, "link posing as an authority or a platform on a look-alike domain", None
    if _LOGIN_PATHS.search(address):
        return 0.65, "link to a log-in page on an unknown domain", None
    return None


RECOGNIZERS: dict[str, Recognizer] = {
    recognizer.name: recognizer
    for recognizer in (
        Recognizer(
            "resident_id",
            re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9x](?![0-9a-z])"),
            _LONG_DIGITS,
            _resident_id,
        ),
        Recognizer(
            "bank_card", re.compile(r"(?<![0-9])(?:62|4|5)[0-9]{14,17}(?![0-9])"), _LONG_DIGITS, _bank_card
        ),
        Recognizer("mobile", re.compile(r"(?<![0-9])(?:\+?86)?1[3-9][0-9]{9}(?![0-9])"), _LONG_DIGITS, _mobile),
        Recognizer(
            "landline",
            re.compile(r"(?<![0-9])0[1-9][0-9]{1,2}-?[2-9][0-9]{6,7}(?![0-9])"),
            _LONG_DIGITS,
            _constant(0.7, "landline number"),
        ),
        Recognizer(
            "email",
            re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}"),
            re.compile("@"),
            _constant(0.8, "e-mail address"),
        ),
        Recognizer(
            "phishing_url",
            re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,8}(?:/[\w./?=&%-]*)?"),
            re.compile(r"[a-z0-9]\.[a-z]"),
            _phishing_url,
        ),
    )
}


@register
class PatternDetector(Detector):
    kind = "pattern"

    class Spec(KeywordSpec):
        kind: Literal["pattern"]
        recognizer: str | None = Field(default=None, description="a named recognizer: " + ", ".join(RECOGNIZERS))
        regex: str | None = Field(default=None, description="a regular expression over the normalised text")

        @model_validator(mode="after")
        def _one_source(self) -> PatternDetector.Spec:
            if (self.recognizer is None) == (self.regex is None):
                raise ValueError("give exactly one of `recognizer` or `regex`")
            if self.recognizer is not None and self.recognizer not in RECOGNIZERS:
                raise ValueError(f"unknown recognizer {self.recognizer!r}; known: {', '.join(RECOGNIZERS)}")
            if self.regex is not None:
                try:
                    re.compile(self.regex)
                except re.error as error:
                    raise ValueError(f"regex does not compile: {error}") from None
            return self

    def __init__(self, spec: Spec, vocabulary: Terms) -> None:
        super().__init__(spec, vocabulary)
        if spec.recognizer is not None:
            self.recognizer = RECOGNIZERS[spec.recognizer]
        else:
            self.recognizer = Recognizer(
                "regex", re.compile(spec.regex or ""), re.compile(""), _constant(spec.confidence, "pattern")
            )
        # A rule's own regex is only tried where the shared pass found the literals it needs.
        self.required = required_literals(spec.regex) if spec.regex is not None else ()
        self.companions = Companions(spec, vocabulary)
        self.pattern = (spec.recognizer or spec.regex or "",)

    def terms(self) -> Iterable[str]:
        return self.required[0] if self.required else ()

    def gate(self) -> re.Pattern[str] | None:
        pattern = self.recognizer.prefilter if self.spec.recognizer is not None else self.recognizer.pattern
        gate = batch_gate(pattern.pattern) if pattern.pattern else None
        if gate is None:
            return None
        return pattern if gate == pattern.pattern else re.compile(gate, pattern.flags)

    def context_terms(self) -> list[str]:
        literals = [term for found in self.required for term in found]
        return [*self.companions.terms(), *literals]

    def detect(self, doc: Doc) -> Iterable[Hit]:
        recognizer = self.recognizer
        if (self.required and not present(self.required, doc.term_starts)) or not recognizer.prefilter.search(doc.text):
            return []
        hits = []
        for match in recognizer.pattern.finditer(doc.text):
            validated = recognizer.validate(match.group())
            if validated is None:
                continue
            companions = self.companions.find(doc, match.start(), match.end())
            if companions is None:
                continue
            base, what, validation = validated
            if companions:
                what += "; " + with_companions(companions)
            hits.append(Hit(match.start(), match.end(), base, what, pattern=(*self.pattern, *companions),
                            validation=validation))
        return hits
