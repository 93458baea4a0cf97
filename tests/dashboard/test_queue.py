"""The queue: urgent first, counts per tab, filters, and the countries in silence now."""

import re

import pytest


def _case_order(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr class="row" data-href="/cases/(\d+)/"', html)]


@pytest.mark.django_db
def test_silence_holds_come_first_earliest_deadline_on_top_then_escalations_then_review(client, bob, cases):
    client.force_login(bob)
    order = _case_order(client.get("/").content.decode())
    assert order == [
        cases["slovak"].pk,  # silence hold, 30 minutes
        cases["later_hold"].pk,  # silence hold, 55 minutes
        cases["american"].pk,  # escalated
        cases["routine"].pk,  # awaiting review
    ]


@pytest.mark.django_db
def test_a_moderator_sees_the_queue_without_the_leads_escalations(client, alice, cases):
    client.force_login(alice)
    response = client.get("/")
    assert _case_order(response.content.decode()) == [
        cases["slovak"].pk,
        cases["later_hold"].pk,
        cases["routine"].pk,
    ]
    assert "escalated" not in response.context["counts"] or response.context["counts"]["escalated"] == 0
    assert "tab-escalated" not in response.content.decode()


@pytest.mark.django_db
def test_counts_per_queue(client, bob, cases):
    client.force_login(bob)
    counts = client.get("/").context["counts"]
    assert counts == {"unresolved": 4, "mine": 0, "awaiting": 4, "escalated": 1, "decided": 1, "all": 5}


@pytest.mark.django_db
def test_the_decided_tab_holds_decided_cases(client, alice, cases):
    client.force_login(alice)
    assert _case_order(client.get("/?queue=decided").content.decode()) == [cases["decided"].pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=sk", ["slovak", "later_hold"]),
        ("phase=silence", ["slovak", "later_hold"]),
        ("phase=normal", ["american", "routine"]),
        ("verdict=likely_synthetic", ["slovak"]),
        ("media_type=audio", []),
        ("status=awaiting_review&country=DE", ["routine"]),
    ],
)
def test_filters(client, bob, cases, query, expected):
    client.force_login(bob)
    assert _case_order(client.get(f"/?{query}").content.decode()) == [cases[name].pk for name in expected]


@pytest.mark.django_db
def test_a_bad_filter_gets_a_field_message_not_an_error(client, alice, cases):
    client.force_login(alice)
    response = client.get("/?country=S1&phase=bogus")
    assert response.status_code == 200
    assert "Use a two-letter country code" in response.content.decode()
    assert len(_case_order(response.content.decode())) == 3  # the bad filters are ignored


@pytest.mark.django_db
def test_rows_show_phase_actions_and_a_deadline_countdown(client, alice, cases):
    client.force_login(alice)
    html = client.get("/").content.decode()
    row = html[html.index(f'data-case="{cases["slovak"].pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'class="badge silence"' in row and "SK" in row
    assert "Removal hold · Label: Likely AI-generated" in row
    assert 'class="countdown" data-deadline="' in row


@pytest.mark.django_db
def test_the_silence_strip_lists_countries_in_silence_now(client, alice, cases, sk_silence):
    client.force_login(alice)
    html = client.get("/").content.decode()
    strip = html[html.index('id="silence-strip"') :]
    strip = strip[: strip.index("</div>")]
    assert "SK until" in strip
    row = html[html.index(f'data-case="{cases["slovak"].pk}"') :]
    assert "silent now: SK" in row[: row.index("</tr>")]


@pytest.mark.django_db
def test_a_taken_case_shows_who_is_reviewing_it(client, alice, bob, cases):
    client.force_login(alice)
    client.post(f"/cases/{cases['slovak'].pk}/take/")
    client.force_login(bob)
    html = client.get("/").content.decode()
    row = html[html.index(f'data-case="{cases["slovak"].pk}"') :]
    assert '<span class="badge locked" title="being reviewed">alice</span>' in row[: row.index("</tr>")]


@pytest.mark.django_db
def test_the_queue_costs_the_same_queries_for_more_cases(
    client, bob, cases, platform, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import case_make, decision_make, media_item_store

    client.force_login(bob)
    client.get("/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    # The session, the user, the groups; every tab's count (one query); the page's ids; its rows;
    # what the rows are; the silence strip; the frame's banner and permission lookups (3); the
    # fact-check flag. Twelve, whatever the number of cases.
    assert len(few.captured_queries) <= 12, [q["sql"][:120] for q in few.captured_queries]
    for n in range(10):
        case = case_make(
            platform=platform,
            media=media_item_store(f"png-{n}".encode()),
            countries=["AT"],
            content_id=f"more-{n}",
        )
        decision_make(case=case, actions=[{"type": "label", "kind": "unverified"}], minutes=60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/")
    assert len(response.context["page"].object_list) == 14  # 4 open cases + 10


@pytest.mark.django_db
def test_a_filtered_or_searched_queue_costs_a_fixed_number_of_queries(
    client, bob, cases, django_assert_max_num_queries
):
    client.force_login(bob)
    client.get("/")  # warm the session
    # A filter adds no count query (the page's ids are counted as they are read); a search adds
    # one, for the matching cases.
    with django_assert_max_num_queries(12):
        assert _case_order(client.get("/?country=SK").content.decode()) == [
            cases["slovak"].pk,
            cases["later_hold"].pk,
        ]
    with django_assert_max_num_queries(13):
        assert _case_order(client.get("/?queue=all&q=post-de").content.decode()) == [cases["routine"].pk]
