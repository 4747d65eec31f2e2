from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingfeng.text.normalize import normalize, normalize_many, normalize_term


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("微 信 红 包", "微信红包"),
        ("机*密", "机密"),
        ("內-部-資-料", "内部资料"),
        ("秘·密", "秘密"),
        ("機密文件", "机密文件"),
        ("138 1234 5678", "13812345678"),
        ("1３8-1234-5678", "13812345678"),
        ("138\n1234 5678", "13812345678"),
        ("壹叁捌-伍陆柒柒-零玖贰叁", "13856770923"),
        ("一三八一二三四五六七八", "13812345678"),
        ("ＡＢＣ Hello", "abc hello"),
        ("那份 ji 密 的材料", "那份ji密的材料"),
        ("微🔥信", "微信"),
        ("1,000元", "1000元"),
        # kept as they are
        ("3.5公里", "3.5公里"),
        ("一点心意", "一点心意"),
        ("hello world", "hello world"),
        ("我拍了几张，大家看看", "我拍了几张，大家看看"),
    ],
)
def test_disguises_are_undone(original: str, expected: str) -> None:
    assert normalize(original).text == expected


def test_spans_map_back_to_the_original() -> None:
    norm = normalize("刚拿到的 机 密 文 件")
    start = norm.text.index("机密")
    assert norm.to_original(start, start + 2) == (5, 8)
    assert norm.original[5:8] == "机 密"


def test_term_matches_in_either_punctuation_width() -> None:
    assert set(normalize_term("（密）")) == {"（密）", "(密)"}


_ALPHABET = st.sampled_from(
    list("机密內部資料微信红包一二三四五六七八九零壹叁捌0123456789ABCxyz")
    + list(" *-_.·|/~\n\t，。！？（）") + ["１", "Ａ", "㈠", "①", "…", "🧧", "🔥", "\u200b", "ﬁ", "㎏", "⼈", "İ"]
)


@settings(max_examples=400)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_offset_map_round_trips(original: str) -> None:
    norm = normalize(original)
    previous = 0
    for position, char in enumerate(norm.text):
        start, end = norm.to_original(position, position + 1)
        assert 0 <= start < end <= len(original)
        assert start >= previous  # the map never goes backwards
        previous = start
        source = original[start:end]
        # Each normalised character comes from its original character, taken alone
        # (a Chinese numeral inside a long run becomes a digit).
        alone = unicodedata.normalize("NFKC", source).lower() + normalize(source).text
        assert char in alone or char.isdigit()
    covered = {i for p in range(len(norm.text)) for i in range(*norm.to_original(p, p + 1))}
    dropped = [original[i] for i in range(len(original)) if i not in covered]
    assert all(not c.isalnum() or c in "🧧🔥" for c in dropped)


@given(st.lists(st.text(alphabet=_ALPHABET, max_size=20), max_size=8))
def test_batches_normalise_like_single_texts(texts: list[str]) -> None:
    assert [n.text for n in normalize_many(texts)] == [normalize(t).text for t in texts]
