"""A whole exam round in real browsers against a real Daphne server.

The organiser starts the round from the control panel; two contestants, each in their own
browser context (one on a 360 px phone screen), answer; one reloads mid-way and finds every
answer it had saved; the time runs out and both attempts are submitted and graded. The round
is short (a synchronous start with a few tens of seconds), since time cannot be frozen inside
a running server. Screenshots go to test-artifacts/exam/.
"""

import json
import re
from pathlib import Path

import pytest

from tests.browser.conftest import logged_in, save_shot

pytestmark = [pytest.mark.browser, pytest.mark.server]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "exam"
DATA = "tests.browser.exam_round_data"
PRACTICE_SLUG = "vong-on-tap"
TIMEOUT_MS = 20_000  # the reconnect backoff may reach a few seconds
DURATION_SECONDS = 30
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture
def exam_server(start_daphne):
    """A server of its own (the round data is its setup) with the round clock inside it."""
    server = start_daphne(setup=[("-m", DATA, "build", str(DURATION_SECONDS))], seed=False)
    return server, json.loads(server.run("-m", DATA, "ids"))


def logged_in_page(browser, server, data, username, viewport):
    return logged_in(browser, server.base_url, username, data["password"], **viewport)


def shot(page, name):
    save_shot(ARTIFACTS, page, name)


def answer_choice(page, text):
    page.locator("#questions .question-card:not([hidden]) label.choice", has_text=text).click()


def expect_saved(page):
    from playwright.sync_api import expect

    expect(page.locator("#questions .question-card:not([hidden]) .save-state")).to_have_attribute(
        "data-state", "saved", timeout=10_000
    )


def test_a_timed_round_from_start_to_graded_submissions(exam_server, browser):
    from playwright.sync_api import expect

    server, data = exam_server
    round_url = f"/ky/{data['edition']}/thi/{data['round_id']}/"
    control_url = f"/ky/{data['edition']}/vong-thi/{data['round_slug']}/dieu-khien/"

    lan = logged_in_page(browser, server, data, data["contestants"][0], PHONE)
    nam = logged_in_page(browser, server, data, data["contestants"][1], DESKTOP)
    shot(lan, "dashboard-360")
    for page in (lan, nam):
        page.goto(server.base_url + round_url)
        expect(page.locator("#conn-state")).to_have_attribute("data-state", "connected")
        expect(page.locator("#lobby-countdown")).not_to_be_empty()
    shot(lan, "lobby-360")
    shot(nam, "lobby-desktop")

    organiser = logged_in_page(browser, server, data, data["organiser"], DESKTOP)
    organiser.goto(server.base_url + f"/ky/{data['edition']}/vong-thi/")
    shot(organiser, "round-list-desktop")
    organiser.goto(server.base_url + f"/ky/{data['edition']}/vong-thi/{data['round_slug']}/sua/")
    shot(organiser, "round-form-desktop")
    organiser.set_viewport_size(PHONE)
    shot(organiser, "round-form-360")
    organiser.set_viewport_size(DESKTOP)
    organiser.goto(server.base_url + control_url)
    expect(organiser.locator('[data-count="eligible"]')).to_have_text("2")
    shot(organiser, "control-before-start-desktop")
    organiser.once("dialog", lambda dialog: dialog.accept())
    organiser.click('[data-action="start"]')

    # Both contestants waited in the lobby: the paper opens by itself at the start.
    for page in (lan, nam):
        expect(page.locator("#exam")).to_be_visible(timeout=15_000)
        expect(page.locator("#qh-0")).to_have_text("Câu 1/4 · 1 điểm")

    answer_choice(lan, "Ctrl+S")
    expect_saved(lan)
    lan.click("#next-q")
    answer_choice(lan, "Chrome")
    answer_choice(lan, "Firefox")
    expect_saved(lan)
    lan.click("#flag-q")
    expect(lan.locator('[data-goto="1"]')).to_have_attribute("data-flagged", "true")
    shot(lan, "exam-360")

    answer_choice(nam, "Ctrl+P")
    expect_saved(nam)
    nam.click('[data-goto="2"]')
    answer_choice(nam, "Sai")
    expect_saved(nam)
    shot(nam, "exam-desktop")

    # A reload mid-way (same device): the page comes back on the same question, with every
    # saved answer, its ✓ and the review flag, restored from the server's snapshot.
    lan.reload()
    expect(lan.locator("#exam")).to_be_visible(timeout=15_000)
    expect(lan.locator("#question-1")).to_be_visible()
    expect(lan.locator("#question-1 input[value=a]")).to_be_checked()
    expect(lan.locator("#question-1 input[value=b]")).to_be_checked()
    expect(lan.locator("#question-1 .save-state")).to_have_attribute("data-state", "saved")
    expect(lan.locator('[data-goto="1"]')).to_have_attribute("data-flagged", "true")
    lan.click('[data-goto="0"]')
    expect(lan.locator("#question-0 input[value=a]")).to_be_checked()
    lan.click('[data-goto="3"]')
    lan.fill("#q3-text", "hà nội")
    lan.locator("#q3-text").blur()
    expect_saved(lan)

    organiser.fill("#announce-text", "Còn ít phút, đề nghị các đồng chí kiểm tra lại bài.")
    organiser.click("#announce-form button[type=submit]")
    for page in (lan, nam):
        expect(page.locator("#announcement")).to_contain_text("kiểm tra lại bài")
    expect(organiser.locator('[data-count="in_progress"]')).to_have_text("2")
    shot(organiser, "control-running-desktop")
    organiser.set_viewport_size(PHONE)
    shot(organiser, "control-running-360")

    # Nam moves to another device: the newer one takes over with his answers, the older
    # page is told and stops. He then submits there, after confirming.
    nam_laptop = logged_in_page(browser, server, data, data["contestants"][1], DESKTOP)
    nam_laptop.goto(server.base_url + round_url)
    expect(nam.locator("#stopped")).to_be_visible()
    expect(nam.locator("#stopped-message")).to_contain_text("thiết bị hoặc cửa sổ khác")
    expect(nam.locator("#conn-state")).to_have_attribute("data-state", "stopped")
    expect(nam_laptop.locator("#exam")).to_be_visible()
    expect(nam_laptop.locator("#announcement")).to_contain_text("kiểm tra lại bài")  # from the snapshot
    nam_laptop.click('[data-goto="0"]')
    expect(nam_laptop.locator("#question-0 input[value=b]")).to_be_checked()
    nam_laptop.click("#submit-open")
    expect(nam_laptop.locator("#submit-summary")).to_have_text(
        "Còn 2 câu chưa trả lời, 0 câu đánh dấu xem lại."
    )
    shot(nam_laptop, "submit-confirm-desktop")
    nam_laptop.click("#submit-confirm")
    expect(nam_laptop.locator("#done")).to_be_visible()
    expect(nam_laptop.locator("#done-reason")).to_have_text("Bạn đã nộp bài.")

    # Time runs out for Lan: the round clock submits her attempt and her page follows.
    expect(lan.locator("#done")).to_be_visible(timeout=(DURATION_SECONDS + 20) * 1000)
    expect(lan.locator("#done-reason")).to_have_text("Bài được nộp tự động khi hết giờ.")
    expect(lan.locator("#again")).to_be_hidden()  # one attempt allowed
    shot(lan, "done-360")

    report = json.loads(server.run("-m", DATA, "report", str(data["round_id"])))
    lan_attempt, nam_attempt = report["ts1"], report["ts2"]
    assert lan_attempt["state"] == nam_attempt["state"] == "submitted"
    assert lan_attempt["submit_reason"] == "deadline"
    assert nam_attempt["submit_reason"] == "contestant"
    assert lan_attempt["answers"] == {
        "0": {"choice": "a"},
        "1": {"choices": ["a", "b"]},
        "3": {"text": "hà nội"},
    }
    assert lan_attempt["score"] == "3.00"
    assert lan_attempt["revisions"] == 4  # one per change: the typed text was stored once
    assert nam_attempt["answers"] == {"0": {"choice": "b"}, "2": {"value": False}}
    assert nam_attempt["score"] == "1.00"
    assert lan_attempt["device_switches"] == 0  # a reload on the same browser is not a switch
    assert lan_attempt["focus_losses"] == 0  # nor is it looking away from the page
    assert nam_attempt["device_switches"] == 1


def test_an_answer_whose_ack_was_lost_is_resent_after_a_reload_and_stored_once(exam_server, browser):
    """The first ack never reaches the page (a network cut between commit and reply): the
    answer stays in the browser's outbox as unsaved, the page reloads, the outbox resends it
    with its original id, and the server answers with the same ack instead of a second copy."""
    from playwright.sync_api import expect

    server, data = exam_server
    network = {"drop_acks": True, "dropped": 0, "refuse": False, "current": None}

    def relay(ws):
        if network["refuse"]:  # the network is down: every reconnect fails at once
            ws.close()
            return
        network["current"] = ws
        upstream = ws.connect_to_server()

        def to_page(message):
            if network["drop_acks"] and json.loads(message).get("type") == "ack":
                network["dropped"] += 1
                return
            ws.send(message)

        upstream.on_message(to_page)
        ws.on_message(upstream.send)

    lan = logged_in_page(browser, server, data, data["contestants"][0], PHONE)
    lan.route_web_socket(re.compile(r".*/ws/rounds/\d+/play/.*"), relay)
    lan.goto(server.base_url + f"/ky/{data['edition']}/thi/{data['practice_id']}/")
    # The round is already open: a late arrival enters deliberately.
    lan.click("#enter-form button[type=submit]")
    expect(lan.locator("#exam")).to_be_visible()
    answer_choice(lan, "Ctrl+S")
    save_state = lan.locator("#question-0 .save-state")
    expect(save_state).to_have_attribute("data-state", "pending")
    expect(save_state).to_have_text("Đang lưu…")
    # The server did store it: only the reply was lost.
    for _ in range(50):
        if network["dropped"]:
            break
        lan.wait_for_timeout(100)  # lets Playwright relay frames meanwhile
    assert network["dropped"] == 1
    assert json.loads(server.run("-m", DATA, "report", str(data["practice_id"])))["ts1"]["revisions"] == 1
    expect(save_state).to_have_attribute("data-state", "pending")
    outbox_keys = lan.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('hoithi.outbox.'))")
    assert len(outbox_keys) == 1

    network["drop_acks"] = False
    lan.reload()
    expect(lan.locator("#question-0 .save-state")).to_have_attribute("data-state", "saved")
    expect(lan.locator("#question-0 input[value=a]")).to_be_checked()
    assert lan.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('hoithi.outbox.'))") == []
    assert network["dropped"] == 1

    report = json.loads(server.run("-m", DATA, "report", str(data["practice_id"])))
    assert report["ts1"]["answers"] == {"0": {"choice": "a"}}
    assert report["ts1"]["revisions"] == 1

    # The organiser pauses everyone (the page locks and its clock stops), resumes, then gives
    # this contestant five more minutes.
    organiser = logged_in_page(browser, server, data, data["organiser"], DESKTOP)
    organiser.goto(server.base_url + f"/ky/{data['edition']}/vong-thi/{PRACTICE_SLUG}/dieu-khien/")
    organiser.click('[data-action="pause"]')
    expect(lan.locator("#paused-notice")).to_be_visible()
    expect(lan.locator("#countdown-label")).to_have_text("Tạm dừng")
    expect(lan.locator("#question-0 input[value=b]")).to_be_disabled()
    organiser.click('[data-action="resume"]')
    expect(lan.locator("#paused-notice")).to_be_hidden()
    expect(lan.locator("#question-0 input[value=b]")).to_be_enabled()
    assert lan.locator("#countdown").inner_text().startswith(("09:", "10:00"))
    # Keyboard only: arrow keys change the chosen option (sent and saved like a tap), and the
    # next-question button moves focus to the new question's heading.
    lan.focus("#question-0 input[value=a]")
    lan.keyboard.press("ArrowDown")
    expect(lan.locator("#question-0 input[value=b]")).to_be_checked()
    expect(lan.locator("#question-0 .save-state")).to_have_attribute("data-state", "saved")
    lan.focus("#next-q")
    lan.keyboard.press("Enter")
    expect(lan.locator("#qh-1")).to_be_focused()

    # The network drops: the page says so and keeps trying; an answer given meanwhile waits
    # in the outbox as "not sent", and goes out (and is saved) once the socket is back.
    network["refuse"] = True
    network["current"].close()
    expect(lan.locator("#conn-state")).to_have_attribute("data-state", "reconnecting")
    answer_choice(lan, "Firefox")
    lan.click("#flag-q")
    expect(lan.locator("#question-1 .save-state")).to_have_text("Chưa gửi được, sẽ tự gửi lại khi có mạng")
    network["refuse"] = False
    expect(lan.locator("#conn-state")).to_have_attribute("data-state", "connected", timeout=TIMEOUT_MS)
    expect(lan.locator("#question-1 .save-state")).to_have_attribute("data-state", "saved")
    expect(lan.locator('[data-goto="1"]')).to_have_attribute("data-flagged", "true")

    # Looking away (another tab or app) is reported once per absence, as evidence for judges.
    lan.evaluate(
        "() => { window.dispatchEvent(new Event('blur')); window.dispatchEvent(new Event('focus')); }"
    )
    for _ in range(50):
        report = json.loads(server.run("-m", DATA, "report", str(data["practice_id"])))
        if report["ts1"]["focus_losses"]:
            break
        lan.wait_for_timeout(100)
    assert report["ts1"]["focus_losses"] == 1
    assert report["ts1"]["flags"] == [1]  # the flag set while offline reached the server

    organiser.once("dialog", lambda dialog: dialog.accept("5"))
    organiser.click('[data-row-action="extend"]')
    expect(lan.locator("#countdown")).to_have_text(re.compile(r"^1[45]:\d\d$"))
