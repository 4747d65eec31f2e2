"""The compiled-artefact cache (qingfeng.core.cache): current artefacts are read back, stale or corrupt ones are
rebuilt without an error, a disabled cache writes nothing, and a rulebook read from the cache finds exactly
what a freshly loaded one finds."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from qingfeng import Checker
from qingfeng.core import cache
from qingfeng.rulebook.loader import compiled, default_rulebook, load_rulebook


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    place = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(place))
    return place


class Builds:
    """A build function that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_an_artefact_is_built_once_then_read_back(folder: Path) -> None:
    build = Builds({"terms": ["机密", "绝密"]})
    assert cache.cached("demo", "key-1", build) == {"terms": ["机密", "绝密"]}
    (artefact,) = folder.glob("demo-*.pickle")
    assert cache.cached("demo", "key-1", build) == {"terms": ["机密", "绝密"]}
    assert build.calls == 1
    assert [path.name for path in folder.iterdir()] == [artefact.name]  # no temporary file left behind


def test_a_stale_key_is_rebuilt(folder: Path) -> None:
    old, new = Builds("old"), Builds("new")
    assert cache.cached("demo", "rulebook v1", old) == "old"
    assert cache.cached("demo", "rulebook v2", new) == "new"
    assert cache.cached("demo", "rulebook v2", new) == "new"
    assert (old.calls, new.calls) == (1, 1)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short, as by a full disk
        lambda data: b"not an artefact at all",
        lambda data: data[: data.index(b"\n", len(b"qingfeng-artefact\n")) + 1] + b"\x80\x05garbage",
        lambda data: data.replace(data[len(b"qingfeng-artefact\n"):][:8], b"0" * 8, 1),  # another key's header
        lambda data: b"",
    ],
    ids=["truncated", "foreign", "bad-pickle", "wrong-key", "empty"],
)
def test_a_corrupt_artefact_is_rebuilt_without_an_error(folder: Path, damage) -> None:
    build = Builds(["值"])
    cache.cached("demo", "key", build)
    (artefact,) = folder.glob("demo-*.pickle")
    artefact.write_bytes(damage(artefact.read_bytes()))
    assert cache.cached("demo", "key", build) == ["值"]
    assert build.calls == 2
    assert cache.cached("demo", "key", build) == ["值"]  # and written afresh
    assert build.calls == 2


def test_arrays_are_read_back_where_they_lie_and_a_damaged_one_is_rebuilt(folder: Path) -> None:
    import numpy as np

    arrays = {"weights": np.arange(1000, dtype=np.float16).reshape(100, 10), "bits": np.array(18),
              "labels": np.array(["spam", "fraud"])}
    build = Builds(arrays)
    cache.cached("demo", "key", build)
    read = cache.cached("demo", "key", build)
    assert build.calls == 1
    assert all(np.array_equal(read[key], value) and read[key].dtype == value.dtype for key, value in arrays.items())
    assert not read["weights"].flags.writeable  # mapped from the file, not copied
    (artefact,) = folder.glob("demo-*.pickle")
    whole = artefact.read_bytes()
    for damaged in (whole[:-5], whole[: len(whole) // 2], whole[:-40] + b"\xff" * 40):
        artefact.write_bytes(damaged)
        assert np.array_equal(cache.cached("demo", "key", build)["weights"], arrays["weights"])
    assert build.calls == 4


def test_an_artefact_naming_code_that_is_gone_is_rebuilt(folder: Path) -> None:
    build = Builds("fresh")
    cache.cached("demo", "key", build)
    (artefact,) = folder.glob("demo-*.pickle")
    header = artefact.read_bytes().split(b"\n", 2)
    # A pickle of a class that no longer exists (renamed in a newer version of the code).
    gone = pickle.dumps(Builds("x")).replace(b"Builds", b"Gone__")
    artefact.write_bytes(header[0] + b"\n" + header[1] + b"\n" + gone)
    assert cache.cached("demo", "key", build) == "fresh"
    assert build.calls == 2


@pytest.mark.parametrize("setting", ["off", "0", ""])
def test_a_disabled_cache_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    monkeypatch.setenv(cache.ENV, setting)
    monkeypatch.chdir(tmp_path)
    build = Builds("value")
    assert cache.cache_dir() is None
    assert cache.cached("demo", "key", build) == "value"
    assert cache.cached("demo", "key", build) == "value"
    assert build.calls == 2
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))
    assert cache.cached("demo", "key", Builds(42)) == 42


def test_without_the_variable_the_platform_cache_folder_is_used(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    monkeypatch.delenv(cache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    chosen = cache.cache_dir()
    assert chosen is not None and chosen.name == "qingfeng" and tmp_path in chosen.parents


def test_only_the_newest_artefacts_of_a_name_are_kept(folder: Path) -> None:
    for number in range(12):
        cache.cached("demo", f"key {number}", Builds(number))
    assert len(list(folder.glob("demo-*.pickle"))) == 8
    assert cache.cached("demo", "key 11", Builds(None)) == 11


def test_the_cached_rulebook_finds_what_a_freshly_loaded_one_finds(folder: Path) -> None:
    default_rulebook.cache_clear()
    try:
        default_rulebook()  # compiles and stores the artefact
        default_rulebook.cache_clear()
        from_cache = default_rulebook()
    finally:
        default_rulebook.cache_clear()
    assert list(folder.glob("rulebook-*.pickle"))
    fresh = load_rulebook()
    assert from_cache.rules == fresh.rules and from_cache.version == fresh.version
    assert dict(from_cache.specs) == fresh.specs
    messages = [example.message() for rule in fresh.rules_for("message")
                for which in ("fire", "pass") for example in rule.examples.messages(which)]
    assert len(messages) > 400
    expected = Checker(fresh, deduplicate=False).check_batch(messages)
    assert Checker(from_cache, deduplicate=False).check_batch(messages) == expected


def test_an_edited_rulebook_is_compiled_afresh(folder: Path, rulebook_folder: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QINGFENG_RULEBOOK", str(rulebook_folder))
    default_rulebook.cache_clear()
    try:
        before = default_rulebook()
        path = rulebook_folder / "rules" / "secrecy.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("severity: block", "severity: warn", 1),
                        encoding="utf-8")
        default_rulebook.cache_clear()
        after = default_rulebook()
    finally:
        default_rulebook.cache_clear()
    assert after.version != before.version
    assert after.rules == load_rulebook(base=rulebook_folder).rules != before.rules


def test_compiling_keeps_the_specs_per_input_and_the_same_values(rulebook_folder: Path) -> None:
    fresh = load_rulebook(base=rulebook_folder)
    specs = dict(fresh.specs)
    ready = pickle.loads(pickle.dumps(compiled(load_rulebook(base=rulebook_folder))))
    assert dict(ready.specs) == specs
    assert ready.expand(["@secrecy.markings"]) == fresh.expand(["@secrecy.markings"])


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid"), reason="POSIX file modes")
def test_an_artefact_others_may_write_is_not_read(folder: Path) -> None:
    build = Builds("own")
    cache.cached("demo", "key", build)
    (artefact,) = folder.glob("demo-*.pickle")
    artefact.chmod(0o666)  # anyone could have put code in it
    assert cache.cached("demo", "key", build) == "own"
    assert build.calls == 2
    assert artefact.stat().st_mode & 0o777 == 0o600  # replaced by a private one
    assert cache.cached("demo", "key", build) == "own"
    assert build.calls == 2
