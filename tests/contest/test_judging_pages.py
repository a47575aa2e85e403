"""Judging pages: who may open them, thin POSTs through the services, a contestant's own sheet."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contest.models import Attempt, AuditLog, RoleGrant
from contest.services import judging, signoff
from tests import factories
from tests.contest.judging_helpers import judged_round, make_judge
from tests.contest.rounds_helpers import at

pytestmark = pytest.mark.django_db
NOW = at(4000)


@pytest.fixture
def setup(edition, organiser):
    return judged_round(edition, organiser, [["a", "a", "a"], ["a", "b", "b"]])


def pages(edition, setup):
    r = setup.round
    attempt = setup.attempt(0)
    return [
        reverse("judging_index", args=[edition.slug]),
        reverse("judging_round", args=[edition.slug, r.slug]),
        reverse("judging_sheet", args=[edition.slug, r.slug, attempt.pk]),
        reverse("marking_queue", args=[edition.slug, r.slug]),
        reverse("key_fixes", args=[edition.slug, r.slug]),
        reverse("item_analysis", args=[edition.slug, r.slug]),
        reverse("judging_appeals", args=[edition.slug, r.slug]),
    ]


def test_judges_and_organisers_open_every_judging_page(client, edition, setup, judge, organiser):
    for user in (judge, organiser):
        client.force_login(user)
        for url in pages(edition, setup):
            assert client.get(url).status_code == 200, url


def test_contestants_get_403_on_every_judging_page(client, edition, setup):
    client.force_login(setup.registrations[0].person.user)
    for url in [*pages(edition, setup), reverse("audit_log", args=[edition.slug])]:
        assert client.get(url).status_code == 403, url


def test_the_sheet_shows_the_contestants_option_order_and_the_key(client, edition, setup, judge):
    client.force_login(judge)
    attempt = setup.attempt(0)
    body = client.get(
        reverse("judging_sheet", args=[edition.slug, setup.round.slug, attempt.pk])
    ).content.decode()
    first = attempt.paper["slots"][0]
    labels = {"a": "Ctrl+S", "b": "Ctrl+P", "c": "Ctrl+Z"}
    if first["qtype"] == "single":
        positions = [body.index(labels[option]) for option in first["option_order"]]
        assert positions == sorted(positions)
    assert "Đáp án" in body and "Diễn biến làm bài" in body


def test_a_judge_marks_and_adjusts_through_the_sheet(client, edition, setup, judge):
    client.force_login(judge)
    attempt = setup.attempt(1)
    url = reverse("judging_sheet", args=[edition.slug, setup.round.slug, attempt.pk])
    slot = setup.slot_of(attempt, setup.essay)
    client.post(url, {"action": "mark", "slot": slot, "c-total": "4", "comment": "Tốt"})
    client.post(url, {"action": "adjust", "slot": "", "points": "7", "reason": "Cộng điểm trình bày"})
    attempt.refresh_from_db()
    assert attempt.score == Decimal("7.00")
    refused = client.post(url, {"action": "adjust", "slot": slot, "points": "1", "reason": ""}, follow=True)
    assert "lý do" in refused.content.decode()


def test_a_judge_cannot_control_rounds_unless_also_organiser(client, edition, setup, judge):
    client.force_login(judge)
    control = reverse("round_control", args=[edition.slug, setup.round.slug])
    assert client.get(control).status_code == 403
    factories.grant(user=judge, edition=edition, role=RoleGrant.Role.ORGANISER)
    assert client.get(control).status_code == 200


def test_a_plain_judge_cannot_fix_keys_or_publish(client, edition, setup, judge):
    client.force_login(judge)
    version = setup.attempt(0).paper["slots"][0]["version_id"]
    response = client.post(
        reverse("key_fixes", args=[edition.slug, setup.round.slug]),
        {"version_id": version, "kind": "void", "reason": "Thử huỷ câu", "apply": "1"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("judging_round", args=[edition.slug, setup.round.slug]), {"action": "publish"}
    )
    assert response.status_code == 403


def test_the_key_fix_page_shows_the_dry_run_before_applying(client, edition, setup, head_judge):
    client.force_login(head_judge)
    attempt = setup.attempt(1)
    slot = next(s for s in attempt.paper["slots"] if s["question_id"] == setup.questions[1].pk)
    url = reverse("key_fixes", args=[edition.slug, setup.round.slug])
    body = client.post(
        url,
        {
            "version_id": slot["version_id"],
            "kind": "accept",
            "key": ["a", "b"],
            "reason": "Cả a và b",
            "apply": "0",
        },
    ).content.decode()
    assert "Chấm thử" in body and "1,00 → <strong>2,00</strong>" in body
    assert Attempt.objects.get(pk=attempt.pk).score == Decimal("1.00")
    client.post(
        url,
        {
            "version_id": slot["version_id"],
            "kind": "accept",
            "key": ["a", "b"],
            "reason": "Cả a và b",
            "apply": "1",
        },
    )
    assert Attempt.objects.get(pk=attempt.pk).score == Decimal("2.00")


def publish(setup, edition, judge, head_judge):
    for index in range(len(setup.registrations)):
        attempt = setup.attempt(index)
        judging.mark_answer(
            attempt_id=attempt.pk,
            slot=setup.slot_of(attempt, setup.essay),
            judge=judge,
            awarded={"total": "3"},
            now=NOW,
        )
    judging.configure_judging(round_=setup.round, values={"required_signers": 1}, actor=head_judge, now=NOW)
    signoff.sign_off(round_=setup.round, judge=head_judge, now=NOW)
    signoff.publish_results(round_=setup.round, actor=head_judge, now=NOW)


def test_a_contestant_sees_only_their_own_sheet_and_only_once_published(
    client, edition, setup, judge, head_judge
):
    own = setup.registrations[0]
    client.force_login(own.person.user)
    url = reverse("own_result", args=[edition.slug, setup.round.slug])
    assert client.get(url).status_code == 404
    publish(setup, edition, judge, head_judge)
    body = client.get(url).content.decode()
    assert "6,00" in body and "Đáp án" in body
    assert judge.username not in body  # judges are not named to contestants
    other_sheet = reverse("judging_sheet", args=[edition.slug, setup.round.slug, setup.attempt(1).pk])
    assert client.get(other_sheet).status_code == 403


def test_a_contestant_appeals_from_their_published_sheet(client, edition, setup, judge, head_judge):
    publish(setup, edition, judge, head_judge)
    client.force_login(setup.registrations[1].person.user)
    url = reverse("own_result", args=[edition.slug, setup.round.slug])
    client.post(url, {"slot": "0", "reason": "Xin xem lại câu 1"})
    assert setup.attempt(1).appeals.count() == 1
    client.force_login(head_judge)
    assert (
        "Xin xem lại câu 1"
        in client.get(reverse("judging_appeals", args=[edition.slug, setup.round.slug])).content.decode()
    )


def test_the_audit_log_is_for_organisers_and_the_head_judge_and_exports_csv_with_a_bom(
    client, edition, setup, judge, head_judge, organiser
):
    url = reverse("audit_log", args=[edition.slug])
    client.force_login(judge)
    assert client.get(url).status_code == 403
    client.force_login(head_judge)
    assert client.get(url).status_code == 200
    client.force_login(organiser)
    body = client.get(
        url, {"action": "round.", "since": "27/11/2026", "until": "27/11/2026"}
    ).content.decode()
    assert "round.start" in body and "round.close" in body
    response = client.get(url, {"action": "round.start", "format": "csv"})
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffcreated_at,action")
    assert content.count("round.start") == 1
    assert AuditLog.objects.filter(action="audit.exported").count() == 1


def test_the_audit_filter_by_dates_excludes_other_days(client, edition, setup, organiser):
    client.force_login(organiser)
    response = client.get(reverse("audit_log", args=[edition.slug]), {"since": "28/11/2026"})
    assert response.context["count"] == 0


def test_a_second_judge_signs_from_the_round_page(client, edition, setup, judge, head_judge):
    publish_ready = make_judge(edition, "gk-ky")
    for index in range(2):
        attempt = setup.attempt(index)
        judging.mark_answer(
            attempt_id=attempt.pk,
            slot=setup.slot_of(attempt, setup.essay),
            judge=judge,
            awarded={"total": "1"},
            now=NOW,
        )
    client.force_login(publish_ready)
    client.post(reverse("judging_round", args=[edition.slug, setup.round.slug]), {"action": "sign"})
    assert setup.round.sign_offs.count() == 1


def test_the_dashboard_links_a_contestant_to_their_published_results(
    client, edition, setup, judge, head_judge
):
    client.force_login(setup.registrations[0].person.user)
    url = reverse("own_result", args=[edition.slug, setup.round.slug])
    assert url not in client.get(reverse("dashboard")).content.decode()
    publish(setup, edition, judge, head_judge)
    assert url in client.get(reverse("dashboard")).content.decode()


def test_judges_find_the_judging_pages_from_their_dashboard(client, edition, judge):
    client.force_login(judge)
    assert reverse("judging_index", args=[edition.slug]) in client.get(reverse("dashboard")).content.decode()


def test_double_marking_is_blind_until_the_judge_has_marked(client, edition, setup, head_judge):
    judging.save_rubric(
        round_=setup.round,
        question_id=setup.essay.pk,
        criteria=[],
        mode="double",
        panel_size=3,
        actor=head_judge,
        now=NOW,
    )
    first, second = make_judge(edition, "gk-mot"), make_judge(edition, "gk-hai")
    attempt = setup.attempt(0)
    slot = setup.slot_of(attempt, setup.essay)
    judging.mark_answer(
        attempt_id=attempt.pk,
        slot=slot,
        judge=first,
        awarded={"total": "3"},
        comment="Nhận xét riêng",
        now=NOW,
    )
    url = reverse("judging_sheet", args=[edition.slug, setup.round.slug, attempt.pk])
    client.force_login(second)
    body = client.get(url).content.decode()
    assert "Nhận xét riêng" not in body and "chấm độc lập" in body
    judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=second, awarded={"total": "3,5"}, now=NOW)
    assert "Nhận xét riêng" in client.get(url).content.decode()
    client.force_login(head_judge)
    assert "Nhận xét riêng" in client.get(url).content.decode()


def test_a_judge_marks_a_team_from_the_queue_page(client, edition, setup, judge):
    from contest.models import Registration

    team = factories.make_team(edition=edition, unit=setup.registrations[0].unit)
    Registration.objects.filter(pk__in=[r.pk for r in setup.registrations]).update(team=team)
    client.force_login(judge)
    url = reverse("marking_queue", args=[edition.slug, setup.round.slug])
    assert "Chấm phần thi của một đội" in client.get(url).content.decode()
    client.post(url, {"action": "mark_team", "team": team.pk, "question_id": setup.essay.pk, "c-total": "2"})
    assert [setup.attempt(i).score for i in range(2)] == [Decimal("5.00"), Decimal("3.00")]


def test_a_short_answer_key_is_widened_from_the_key_page(client, edition, organiser, head_judge):
    from contest.models import Attempt
    from contest.services import answers
    from contest.services import rounds as round_services
    from contest.services.entry import enter_round
    from tests.contest.rounds_helpers import T0

    bank = factories.make_bank(edition=edition)
    short = {"answers": [{"text": "Hà Nội", "fraction": 1.0, "feedback": ""}], "case_sensitive": False}
    question = factories.make_question(bank=bank, qtype="short", definition=short)
    round_ = factories.make_round(
        edition=edition, paper=factories.make_paper(edition=edition, questions=[question]), opens_at=T0,
        closes_at=at(3600), duration_seconds=600,
    )  # fmt: skip
    round_ = round_services.start_round(round_=round_, actor=organiser, now=at(0))
    registration = factories.make_contestant(edition=edition)
    enter_round(round_=round_, registration=registration, now=at(5))
    item = answers.AnswerIn(round_.pk, registration.pk, "m1", 0, 0, {"text": "Thủ đô Hà Nội"}, at(20))
    answers.save_answers([item], now=at(20))
    round_services.close_round(round_=round_, actor=organiser, now=at(700))
    attempt = Attempt.objects.get(round=round_)
    assert attempt.score == Decimal("0.00")
    client.force_login(head_judge)
    url = reverse("key_fixes", args=[edition.slug, round_.slug])
    assert 'name="key_text"' in client.get(url).content.decode()
    version = attempt.paper["slots"][0]["version_id"]
    client.post(url, {"version_id": version, "kind": "accept", "key_text": "Thủ đô Hà Nội", "reason": "Cũng đúng",
                      "apply": "1"})  # fmt: skip
    attempt.refresh_from_db()
    assert attempt.score == Decimal("1.00")
