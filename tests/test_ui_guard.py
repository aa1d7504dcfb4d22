"""Who may use the workbench: the key, then its cookie; this computer's Host; its own Origin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from importer.sandbox import RunningSandbox
from importer.ui.app import make_app
from importer.ui.guard import REFUSED, cookie_name, loopback_host
from importer.ui.server import workbench_for
from tests.conftest import TODAY
from tests.workbench import KEY, ORIGIN, account, text_of


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[TestClient]:
    """A client that has not been given the key."""
    with workbench_for(account(sandbox), today=lambda: TODAY) as bench:
        app = make_app(bench, secret=KEY)
        with TestClient(app, base_url=ORIGIN, follow_redirects=False) as client:
            yield client


def test_without_the_key_or_with_a_wrong_one_every_page_is_refused(client: TestClient) -> None:
    """No key, a wrong key, a wrong cookie: 403 on pages, posts, downloads and assets alike."""
    answers = [
        client.get("/"),
        client.get("/?key=wrong"),
        client.get("/runs"),
        client.get("/static/htmx.min.js"),
        client.get("/files/x/results"),
        client.post("/files", headers={"origin": ORIGIN}),
    ]
    client.cookies.set(cookie_name(KEY), "wrong")
    answers.append(client.get("/"))
    assert [a.status_code for a in answers] == [403] * 7
    assert {text_of(a.text) for a in answers} == {f"Refused Refused {REFUSED['key']}"}


def test_the_key_becomes_an_http_only_strict_cookie_and_leaves_the_address(
    client: TestClient,
) -> None:
    """?key= answers 303 to the same page without it, setting HttpOnly SameSite=Strict."""
    answer = client.get("/runs?key=" + KEY + "&page=2")
    assert (answer.status_code, answer.headers["location"]) == (303, "/runs?page=2")
    assert answer.headers["set-cookie"] == (
        f"{cookie_name(KEY)}={KEY}; HttpOnly; SameSite=Strict; Path=/"
    )
    assert client.get("/runs").status_code == 200


def test_the_key_never_sends_the_browser_to_another_site(client: TestClient) -> None:
    """An address that starts with // would be another site's: it stays on this one."""
    answer = client.get(f"{ORIGIN}//elsewhere.example/?key={KEY}")
    assert answer.headers["location"] == "/elsewhere.example/"


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8080", "127.0.0.1.nip.io", "10.0.0.8", "0.0.0.0", ""]
)
def test_a_host_that_is_not_this_computer_is_refused_even_with_the_key(
    client: TestClient, host: str
) -> None:
    """DNS rebinding: a page of another name that resolves to 127.0.0.1 gets 403."""
    client.get("/?key=" + KEY)
    answer = client.get("/", headers={"host": host})
    assert (answer.status_code, text_of(answer.text)) == (403, f"Refused Refused {REFUSED['host']}")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1:8123", True),
        ("127.0.0.1", True),
        ("localhost:8123", True),
        ("LOCALHOST", True),
        ("[::1]:8123", True),
        ("127.5.6.7", True),
        ("localhost.evil.example", False),
        ("[::ffff:10.0.0.1]:80", False),
        ("evil.example", False),
        ("", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    """Which Host headers name this computer."""
    assert loopback_host(host) is loopback


def test_a_change_from_another_origin_is_refused(client: TestClient) -> None:
    """A post with no Origin, another site's, or another port's is refused, with the cookie."""
    client.get("/?key=" + KEY)
    answers = [
        client.post("/files"),
        client.post("/files", headers={"origin": "http://evil.example"}),
        client.post("/files", headers={"origin": "http://127.0.0.1:9"}),
        client.post("/runs/1/settle", headers={"origin": "null"}),
    ]
    assert [a.status_code for a in answers] == [403] * 4
    assert {text_of(a.text) for a in answers} == {f"Refused Refused {REFUSED['origin']}"}
    assert client.post("/files", headers={"origin": ORIGIN}).status_code == 400


def test_every_answer_forbids_framing_and_other_sites_scripts(client: TestClient) -> None:
    """The page and the refusal alike carry the policy headers, and are never cached."""
    for answer in (client.get("/"), client.get("/?key=" + KEY), client.get("/")):
        assert answer.headers["content-security-policy"] == (
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
        )
        assert (answer.headers["x-frame-options"], answer.headers["cache-control"]) == (
            "DENY",
            "no-store",
        )


def test_two_workbenches_on_one_computer_keep_a_cookie_each(sandbox: RunningSandbox) -> None:
    """A browser keeps cookies by host, not port: a second workbench's key must not take the
    place of the first's, so each has its cookie's own name, and neither name holds a key."""
    other = "another-workbench-key"
    assert cookie_name(KEY) != cookie_name(other)
    assert KEY not in cookie_name(KEY)
    with workbench_for(account(sandbox), today=lambda: TODAY) as bench:
        first, second = make_app(bench, secret=KEY), make_app(bench, secret=other)
        with (
            TestClient(first, base_url=ORIGIN, follow_redirects=False) as one,
            TestClient(second, base_url=ORIGIN, follow_redirects=False) as two,
        ):
            assert one.get(f"/?key={KEY}").status_code == 303
            assert two.get(f"/?key={other}").status_code == 303
            # One browser: both cookies sent to both workbenches.
            both = {**dict(one.cookies), **dict(two.cookies)}
            assert sorted(both) == sorted([cookie_name(KEY), cookie_name(other)])
            one.cookies.update(both)
            two.cookies.update(both)
            assert (one.get("/runs").status_code, two.get("/runs").status_code) == (200, 200)
