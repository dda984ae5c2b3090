"""The fail-open cache answers like an empty cache when Redis cannot be reached."""

import pytest

from agri_platform.api.cache import FailOpenRedisCache


@pytest.fixture
def unreachable():
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    return FailOpenRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})


def test_reads_miss_and_writes_are_dropped(unreachable, caplog):
    assert unreachable.get("k", "default") == "default"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("k") is False
    assert unreachable.add("k", 1) is False
    assert unreachable.set("k", 1) is None
    assert unreachable.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert unreachable.touch("k") is False
    assert unreachable.delete("k") is False
    assert unreachable.delete_many(["a"]) is None
    assert "cache unavailable (get)" in caplog.text


def test_incr_fails_like_a_missing_key(unreachable):
    with pytest.raises(ValueError, match="cache unavailable"):
        unreachable.incr("k")
