"""Who may see what: anonymous users log in, outsiders are refused, escalations are the leads'."""

import pytest

from .conftest import PASSWORD


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, cases):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"
    case = cases["slovak"]
    response = client.get(f"/cases/{case.pk}/media/{case.media_item_id}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(f"/cases/{case.pk}/take/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_alice_logs_in_with_her_password_and_sees_the_queue(client, alice, cases):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_message(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_charlie_without_the_group_is_refused_everywhere(client, charlie, cases):
    client.force_login(charlie)
    case = cases["slovak"]
    assert "The dashboard is for moderators." in client.get("/").content.decode()
    for url in [
        "/",
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/media/{case.media_item_id}/",
        "/deliveries/dead/",
    ]:
        assert client.get(url).status_code == 403, url
    for action in ["take", "release", "confirm", "decide", "bank"]:
        assert client.post(f"/cases/{case.pk}/{action}/").status_code == 403, action
    assert not case.audit_events.filter(actor_user=charlie).exists()


@pytest.mark.django_db
def test_escalated_cases_are_for_leads(client, alice, bob, cases):
    american = cases["american"]
    client.force_login(alice)
    assert client.get(f"/cases/{american.pk}/").status_code == 403
    assert client.post(f"/cases/{american.pk}/take/").status_code == 403
    assert f"/cases/{american.pk}/" not in client.get("/").content.decode()

    client.force_login(bob)
    assert client.get(f"/cases/{american.pk}/").status_code == 200
    assert f"/cases/{american.pk}/" in client.get("/").content.decode()


@pytest.mark.django_db
def test_staff_count_as_leads(client, cases, django_user_model):
    operator = django_user_model.objects.create_user("olga", password=PASSWORD, is_staff=True)
    client.force_login(operator)
    assert client.get(f"/cases/{cases['american'].pk}/").status_code == 200


@pytest.mark.django_db
def test_actions_need_post_and_csrf(alice, cases):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    case = cases["slovak"]
    assert client.get(f"/cases/{case.pk}/take/").status_code == 405
    assert client.post(f"/cases/{case.pk}/take/").status_code == 403  # no CSRF token
    assert not hasattr(case, "review_lock") or case.review_lock is None


@pytest.mark.django_db
def test_log_out_is_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302
