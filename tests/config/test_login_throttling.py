"""Login throttling suits hundreds of officials behind one office NAT: a lock holds one
username from one address, never a whole address, and expires after a cool-off."""

import pytest
from django.conf import settings
from django.urls import reverse

from contest.models import AuditLog
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "matkhau-thu-1"


def login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def alice(db):
    return factories.make_user(username="nguoi-a")


@pytest.fixture
def bob(db):
    return factories.make_user(username="nguoi-b")


def fail_five_times(client, username, ip):
    for _ in range(5):
        response = login(client, username, "sai-mat-khau", ip)
        assert response.status_code in {200, 429}


def test_the_policy_locks_username_and_ip_together_with_a_cool_off():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME and settings.AXES_COOLOFF_TIME > 0
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_five_failures_lock_that_user_from_that_address_with_a_vietnamese_page(client, alice):
    fail_five_times(client, alice.username, "10.0.0.1")
    response = login(client, alice.username, PASSWORD, "10.0.0.1")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Tạm khóa đăng nhập" in body
    assert "_auth_user_id" not in client.session


def test_another_user_behind_the_same_address_can_still_log_in(client, alice, bob):
    fail_five_times(client, alice.username, "10.0.0.1")
    response = login(client, bob.username, PASSWORD, "10.0.0.1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_the_same_user_from_another_address_can_still_log_in(client, alice):
    fail_five_times(client, alice.username, "10.0.0.1")
    response = login(client, alice.username, PASSWORD, "10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_four_failures_do_not_lock(client, alice):
    for _ in range(4):
        login(client, alice.username, "sai", "10.0.0.1")
    assert login(client, alice.username, PASSWORD, "10.0.0.1").status_code == 302


def test_logins_and_failures_are_audited_by_account_id_only(client, alice):
    login(client, alice.username, "sai", "10.0.0.7")
    login(client, "khong-ton-tai", "sai", "10.0.0.7")
    login(client, alice.username, PASSWORD, "10.0.0.7")
    failed = list(AuditLog.objects.filter(action="auth.login_failed").order_by("id"))
    assert [(row.actor_id, row.after) for row in failed] == [
        (alice.pk, {"known_account": True}),
        (None, {"known_account": False}),
    ]
    assert all(str(row.ip_address) == "10.0.0.7" for row in failed)
    [success] = AuditLog.objects.filter(action="auth.login")
    assert success.actor_id == alice.pk
    assert "khong-ton-tai" not in str([row.after for row in failed])


def test_a_forged_forwarded_for_header_does_not_escape_the_lock_without_a_proxy(client, alice):
    for i in range(5):
        client.post(
            reverse("login"),
            {"username": alice.username, "password": "sai"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    response = client.post(
        reverse("login"),
        {"username": alice.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429
