"""Scoreboard sockets: what each audience receives, debouncing under a burst, the freeze."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from config.asgi import application
from contest.models import Round
from contest.services import rounds as round_services
from contest.services import scoring
from tests.contest.live_helpers import answer_live
from tests.contest.rounds_helpers import exam_round
from tests.contest.scoring_helpers import answer_all, contestants
from tests.contest.sockets import _session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def board_socket(path, user=None):
    headers = [(b"origin", b"http://127.0.0.1")]
    if user is not None:
        key = await database_sync_to_async(_session_cookie)(user)
        headers.append((b"cookie", f"sessionid={key}".encode()))
    socket = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await socket.connect()
    assert connected
    return socket


async def next_board(socket, timeout=3):
    for _ in range(10):
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] == "board":
            return frame
    raise AssertionError("no board frame")


async def board_showing(socket, shows, timeout=3):
    """The first board frame for which ``shows(frame)`` holds: a tick runs beside the writes
    (contest.background_reads) and may catch an entry before its answers."""
    for _ in range(10):
        frame = await next_board(socket, timeout)
        if shows(frame):
            return frame
    raise AssertionError("the board never showed it")


def running_round(edition, organiser, *, mode="exam", visibility="public", freeze=0, closes_in=3600):
    now = timezone.now()
    round_ = exam_round(
        edition, mode=mode, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(seconds=closes_in)
    )
    round_ = round_services.start_round(round_=round_, actor=organiser, now=now)
    board = scoring.configure_board(round_=round_, visibility=visibility, freeze_minutes=freeze, weight="1",
                                    chain=["score"], actor=organiser, now=now)  # fmt: skip
    return round_, board


def answer_now(round_, registration, choices):
    now = timezone.now()
    if round_.mode == Round.Mode.LIVE:  # a live round takes answers only to its open question
        return answer_live(round_, registration, choices, now=now)
    return answer_all(round_, registration, choices, now=now, enter_at=now)


@pytest.fixture
def people(edition):
    return contestants(edition, 3)


async def test_staff_see_live_scores_and_a_graded_answer_reaches_the_board(edition, organiser, people):
    round_, _board = await database_sync_to_async(running_round)(edition, organiser)
    socket = await board_socket(f"/ws/rounds/{round_.pk}/board/", organiser)
    first = await next_board(socket)
    assert first["phase"] == "live" and first["rows"] == []
    await database_sync_to_async(answer_now)(round_, people[0], ["a", "a"])
    frame = await board_showing(socket, lambda f: f["rows"] and f["rows"][0]["score"] == "2.00")
    assert frame["rows"][0]["id"] == people[0].pk
    assert frame["rows"][0]["rank"] == 1
    await socket.disconnect()


async def test_during_an_exam_contestants_and_the_public_get_progress_never_scores(
    edition, organiser, people
):
    round_, board = await database_sync_to_async(running_round)(edition, organiser)
    await database_sync_to_async(answer_now)(round_, people[0], ["a", "b"])
    sockets = [
        await board_socket(f"/ws/rounds/{round_.pk}/board/", people[1].person.user),
        await board_socket(f"/ws/boards/{board.public_token}/"),
        await board_socket(f"/ws/rounds/{round_.pk}/board/?as=public", organiser),
    ]
    for socket in sockets:
        frame = await next_board(socket)
        assert frame["phase"] == "progress" and frame["progress"]["entered"] == 1
        assert all("score" not in row and "rank" not in row for row in frame["rows"])
        assert {row["state"] for row in frame["rows"]} == {"in_progress", "not_entered"}
        assert all("public" not in row for row in frame["rows"])
        names = {row["name"] for row in frame["rows"]}
        # Nobody here agreed to be named in public: the token link and "as public" hide names.
        assert (names == {"Thí sinh (ẩn tên)"}) is (socket is not sockets[0])
        await socket.disconnect()


async def test_a_board_refuses_strangers_and_hides_a_non_public_board_from_its_link(
    edition, organiser, people
):
    round_, board = await database_sync_to_async(running_round)(edition, organiser, visibility="organisers")
    anonymous = await board_socket(f"/ws/rounds/{round_.pk}/board/")
    assert (await anonymous.receive_json_from())["code"] == "forbidden"
    assert (await anonymous.receive_output())["type"] == "websocket.close"
    public = await board_socket(f"/ws/boards/{board.public_token}/")
    frame = await next_board(public)
    assert frame["phase"] == "hidden" and frame["rows"] == []
    wrong = await board_socket("/ws/boards/not-a-token/")
    assert (await wrong.receive_json_from())["code"] == "not_found"
    await public.disconnect()


async def test_a_burst_of_answers_costs_a_viewer_a_couple_of_frames_not_one_per_answer(edition, organiser):
    round_, _board = await database_sync_to_async(running_round)(edition, organiser)
    many = await database_sync_to_async(contestants)(edition, 10)
    socket = await board_socket(f"/ws/rounds/{round_.pk}/board/", organiser)
    await next_board(socket)
    for person in many:  # 10 batches, 30 answers, as fast as the database takes them
        await database_sync_to_async(answer_now)(round_, person, ["a", "a", "b"])
    frames = []
    while not await socket.receive_nothing(timeout=1.5):
        frames.append(await next_board(socket))
    assert 1 <= len(frames) < 10
    assert len(frames[-1]["rows"]) == 10  # the last frame has everyone
    await socket.disconnect()


async def test_during_the_freeze_the_public_board_stands_still_and_staff_stay_live(
    edition, organiser, people
):
    round_, board = await database_sync_to_async(running_round)(
        edition, organiser, mode="live", freeze=10, closes_in=300
    )
    await database_sync_to_async(answer_now)(round_, people[0], ["a"])
    public = await board_socket(f"/ws/boards/{board.public_token}/")
    staff = await board_socket(f"/ws/rounds/{round_.pk}/board/", organiser)
    frozen, live = await next_board(public), await next_board(staff)
    assert frozen["phase"] == "frozen" and frozen["rows"] == []  # frozen 5 minutes before the answer
    assert live["phase"] == "live" and live["rows"][0]["score"] == "1.00"
    await database_sync_to_async(answer_now)(round_, people[1], ["a", "a"])
    live = await next_board(staff)
    assert [row["id"] for row in live["rows"]] == [people[1].pk, people[0].pk]
    assert await public.receive_nothing(timeout=1.0)
    await public.disconnect()
    await staff.disconnect()


async def test_the_team_and_unit_views(edition, organiser):
    from tests import factories

    round_, _board = await database_sync_to_async(running_round)(edition, organiser)
    unit = await database_sync_to_async(factories.make_unit)(edition=edition, color="#c0392b")
    team = await database_sync_to_async(factories.make_team)(edition=edition, unit=unit)
    pair = await database_sync_to_async(contestants)(edition, 2, unit=unit, team=team)
    for person, choices in zip(pair, (["a", "a"], ["a"]), strict=True):
        await database_sync_to_async(answer_now)(round_, person, choices)
    team_socket = await board_socket(f"/ws/rounds/{round_.pk}/board/?view=team", organiser)
    unit_socket = await board_socket(f"/ws/rounds/{round_.pk}/board/?view=unit", organiser)
    team_frame, unit_frame = await next_board(team_socket), await next_board(unit_socket)
    assert team_frame["rows"][0]["score"] == "3.00" and team_frame["rows"][0]["members"] == 2
    assert unit_frame["rows"][0]["score"] == "1.50" and unit_frame["rows"][0]["color"] == "#c0392b"
    await team_socket.disconnect()
    await unit_socket.disconnect()


async def test_the_reveal_reaches_the_public_board_and_ends_on_the_podium(edition, organiser, people):
    round_, board = await database_sync_to_async(running_round)(edition, organiser)
    for person, choices in zip(people, (["a"], ["a", "a"], ["a", "a", "a"]), strict=True):
        await database_sync_to_async(answer_now)(round_, person, choices)
    closed = await database_sync_to_async(round_services.close_round)(
        round_=await database_sync_to_async(Round.objects.get)(pk=round_.pk),
        actor=organiser,
        now=timezone.now(),
    )
    public = await board_socket(f"/ws/boards/{board.public_token}/")
    assert (await next_board(public))["phase"] == "progress"
    await database_sync_to_async(scoring.start_reveal)(round_=closed, actor=organiser, now=timezone.now())
    frame = await next_board(public)
    assert frame["phase"] == "reveal" and frame["reveal"]["step"] == 0
    assert all(row["score"] is None for row in frame["rows"])  # nothing was public before
    for _ in range(3):
        await database_sync_to_async(scoring.reveal_next)(round_=closed, actor=organiser, now=timezone.now())
        frame = await next_board(public)
    assert frame["reveal"]["done"] is True
    assert [row["id"] for row in frame["reveal"]["podium"]] == [people[2].pk, people[1].pk, people[0].pk]
    await public.disconnect()


async def test_the_public_board_freezes_on_time_without_any_answer(edition, organiser, people):
    round_, board = await database_sync_to_async(running_round)(edition, organiser, mode="live", freeze=1)
    await database_sync_to_async(answer_now)(round_, people[0], ["a"])
    # The freeze (the last minute) begins 2 seconds from now; no hint will mark that moment.
    await database_sync_to_async(Round.objects.filter(pk=round_.pk).update)(
        closes_at=timezone.now() + timedelta(seconds=62)
    )
    public = await board_socket(f"/ws/boards/{board.public_token}/")
    assert (await next_board(public))["phase"] == "live"
    frozen = await next_board(public, timeout=8)
    assert frozen["phase"] == "frozen" and frozen["rows"][0]["score"] == "1.00"
    await public.disconnect()
