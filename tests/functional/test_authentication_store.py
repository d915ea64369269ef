"""The built-in database user store that the authentication and gateway areas share:
file parsing for imports and the store's own operations, without HTTP."""

from __future__ import annotations

import pytest
from emqx_server_stub.backend.common.authn_users import UserStore, parse_user_file
from emqx_server_stub.errors import ApiError

CSV = b"user_id,password_hash,salt,is_superuser\nc1,aa,s1,true\nc2,bb,,false\n"


def test_parse_csv_and_json_files() -> None:
    assert parse_user_file("users.csv", CSV) == [
        {"user_id": "c1", "password_hash": "aa", "salt": "s1", "is_superuser": "true"},
        {"user_id": "c2", "password_hash": "bb", "salt": "", "is_superuser": "false"},
    ]
    assert parse_user_file("u.json", b'[{"user_id": "j1", "password": "p"}]') == [
        {"user_id": "j1", "password": "p"}
    ]
    for name, data, reason in (
        ("u.json", b'{"user_id": "j1"}', "unknown_file_format"),
        ("u.json", b"[", "bad_json"),
        ("users", CSV, "unknown_file_format"),
        ("users.txt", CSV, '{unsupported_file_format,<<".txt">>}'),
    ):
        with pytest.raises(ApiError) as bad:
            parse_user_file(name, data)
        assert bad.value.status == 400 and bad.value.message == reason


def test_store_operations_and_imports() -> None:
    store = UserStore()
    assert store.add("a", "pw", True).is_superuser is True
    record = store.get("a")
    assert record is not None and record.check_password("pw")
    with pytest.raises(ApiError) as dup:
        store.add("a", "pw")
    assert dup.value.status == 409
    store.change("a", "new", None)
    assert record.check_password("new") and store.find("a").is_superuser
    result = store.import_users(parse_user_file("users.csv", CSV), "hash")
    assert (result.total, result.success, result.skipped) == (2, 2, 0)
    assert store.find("c1").is_superuser is True and store.find("c2").is_superuser is False
    page = store.page(1, 2, like_user_id="c")
    assert [u.user_id for u in page.data] == ["c1", "c2"] and page.meta.hasnext is False
    store.delete("a")
    with pytest.raises(ApiError) as gone:
        store.find("a")
    assert gone.value.status == 404 and len(store) == 2
