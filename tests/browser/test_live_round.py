"""A live stage round in four browsers against a real Daphne server: the host's console, the
projector and two contestants' phones play a 3-question round to the podium.

Each question closes early (both joined phones have answered), so the test never waits for a
question's clock. One phone joins with the round's PIN and a contestant code (a public event),
the other with an account, typing the PIN on its screen. Screenshots of the phone (360 px) and the projector (1920 px) at each stage go
to test-artifacts/live/.
"""

import json
from pathlib import Path

import pytest

from tests.browser.conftest import logged_in, new_page, save_shot

pytestmark = [pytest.mark.browser, pytest.mark.server]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "live"
DATA = "tests.browser.live_round_data"
TIMEOUT_MS = 15_000
PHONE = {"width": 360, "height": 740}
PROJECTOR = {"width": 1920, "height": 1080}
CONSOLE = {"width": 1280, "height": 860}
# (the right answer, Lan's, Nam's) per question: two with buttons, the last typed
PLAY = [("Ctrl+S", "Ctrl+S", "Ctrl+P"), ("Sai", "Sai", "Sai"), ("SUM", "sum", "COUNT")]


@pytest.fixture(autouse=True)
def _patient_expect():
    """A loaded machine may take seconds to connect a socket; back to the default after."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def stage_server(start_daphne):
    server = start_daphne(setup=[("-m", DATA, "build")], seed=False)
    return server, json.loads(server.run("-m", DATA, "ids"))


def logged_in_page(browser, server, data, username, viewport):
    return logged_in(browser, server.base_url, username, data["password"], timeout_ms=TIMEOUT_MS, **viewport)


def shot(page, name):
    save_shot(ARTIFACTS, page, name)


def command(host, action):
    from playwright.sync_api import expect

    button = host.locator(f'#live-actions button[data-action="{action}"]')
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    button.click()


def test_a_three_question_live_round_is_played_to_the_podium(stage_server, browser):
    from playwright.sync_api import expect

    server, data = stage_server
    base = f"{server.base_url}/ky/{data['edition']}"
    host = logged_in_page(browser, server, data, data["organiser"], CONSOLE)
    screen = logged_in_page(browser, server, data, data["organiser"], PROJECTOR)
    lan = logged_in_page(browser, server, data, data["contestants"][0], PHONE)
    nam = new_page(browser, **PHONE)  # a public event: no account, the PIN and a contestant code
    nam.set_default_timeout(TIMEOUT_MS)
    host.on("dialog", lambda dialog: dialog.accept())

    host.goto(f"{base}/vong-thi/{data['round_slug']}/dan-chuong-trinh/")
    screen.goto(f"{base}/vong-thi/{data['round_slug']}/man-chieu/")
    expect(screen.locator("#screen-join .screen-pin")).to_have_text(data["pin"])
    shot(screen, "projector-join-1920")
    nam.goto(f"{base}/truc-tiep/{data['round_id']}/")  # sent on to the join page
    nam.fill("#pin", "1357")
    nam.fill("#code", data["contestants"][1])
    nam.press("#code", "Enter")
    expect(nam.locator(".live-feedback[data-kind=error]")).to_contain_text("không đúng")
    nam.fill("#pin", data["pin"])
    nam.fill("#code", data["contestants"][1])
    shot(nam, "phone-join-360")
    nam.press("#code", "Enter")
    lan.goto(f"{base}/truc-tiep/{data['round_id']}/")
    for phone in (lan, nam):
        expect(phone.locator("#conn-state")).to_have_attribute("data-state", "connected")
    command(host, "start")
    lan.fill("#pin-input", data["pin"])  # a logged-in contestant types the PIN on the phone screen
    lan.press("#pin-input", "Enter")
    for phone in (lan, nam):
        expect(phone.locator("#live-status")).to_contain_text("câu hỏi sắp bắt đầu")
    shot(lan, "phone-waiting-360")
    shot(screen, "projector-waiting-1920")

    for number, (right, lan_pick, nam_pick) in enumerate(PLAY, start=1):
        command(host, "open_question")
        expect(screen.locator("#screen-title")).to_have_text(f"Câu {number}/3")
        expect(screen.locator("#screen-timer")).to_be_visible()
        if number == 1:
            expect(lan.locator("#live-options button")).to_have_count(4)
            shot(screen, "projector-question-1920")
            shot(lan, "phone-question-360")
        for phone, pick in ((lan, lan_pick), (nam, nam_pick)):
            if number < 3:
                phone.locator("#live-options button", has_text=pick).click()
            else:
                phone.locator("#live-typed input").fill(pick)
                if phone is lan:
                    shot(lan, "phone-typed-360")
                phone.locator("#live-typed .live-send").click()
            expect(phone.locator("#live-feedback")).to_have_text("Đã ghi nhận câu trả lời của bạn.")
        if number == 1:
            shot(lan, "phone-answered-360")
        # Both joined phones have answered: the question closes by itself.
        expect(host.locator('#live-actions button[data-action="reveal"]')).to_be_visible()
        expect(host.locator("#answer-count")).to_have_text("Đã trả lời 2/2")
        if number == 1:
            shot(host, "host-closed-1280")
        command(host, "reveal")
        if number < 3:
            expect(screen.locator("#screen-chart .live-bar-row.is-correct")).to_contain_text("✓")
        else:
            expect(screen.locator("#screen-answer")).to_have_text("Đáp án đúng: SUM")
            shot(screen, "projector-typed-reveal-1920")
        expect(lan.locator("#live-result-verdict")).to_have_text("Chính xác!")
        expect(nam.locator("#live-result-verdict")).to_have_text(
            "Chính xác!" if nam_pick.lower() == right.lower() else "Chưa đúng."
        )
        if number == 1:
            shot(screen, "projector-reveal-1920")
            shot(lan, "phone-result-360")
        command(host, "show_leaderboard")
        expect(screen.locator("#screen-board .live-board-row").first).to_contain_text("Phạm Thị Lan")
        if number == 1:
            shot(screen, "projector-leaderboard-1920")
        if number < 3:
            command(host, "next_question")
            expect(screen.locator("#screen-status")).to_contain_text("câu hỏi sắp bắt đầu")

    command(host, "close")
    podium = screen.locator("#screen-podium .live-step-1")
    expect(podium).to_contain_text("Phạm Thị Lan")
    expect(podium).to_contain_text("LĐLĐ quận Hoàn Kiếm")
    expect(screen.locator("#screen-podium .live-step-2")).to_contain_text("Đỗ Văn Nam")
    expect(lan.locator("#live-status")).to_contain_text("Vòng thi đã kết thúc")
    expect(lan.locator("#live-result-detail")).to_contain_text("Hạng 1/2")  # the final place stays
    shot(screen, "projector-podium-1920")
    shot(lan, "phone-ended-360")
    expect(host.locator("#host-board .live-board-row").first).to_contain_text("Phạm Thị Lan")
    shot(host, "host-ended-1280")
