"""The scoreboard in real browsers against a real Daphne server.

A public projector (no login, the round's token link) and the organiser's live board watch a
live-mode round. Contestants answer from their own browsers over the contestant socket: the
projector updates. Then the last minute before the close begins (the freeze): a contestant's
answer changes the organiser's board but not the public one. The organiser closes the round
and reveals the results row by row from the bottom; the projector ends on the podium.
Screenshots (1920 px projector, 360 px phone) go to test-artifacts/scoreboard/.
"""

import json
from pathlib import Path

import pytest

from tests.browser.conftest import logged_in, new_page, save_shot

pytestmark = [pytest.mark.browser, pytest.mark.server]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "scoreboard"
DATA = "tests.browser.scoreboard_data"
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}

# Enter the round and answer over the contestant socket, exactly as the exam page does;
# resolves with the acknowledgements.
# A contestant's socket, kept on the page between calls: connecting every contestant before a
# question opens matters, because a live question closes early once every contestant then
# connected has answered.
CONNECT_JS = """
async (path) => {
  const ws = new WebSocket(`ws://${location.host}${path}?device=browser-test`);
  const frames = [];
  let waiting = null;
  ws.onmessage = (event) => { frames.push(JSON.parse(event.data)); if (waiting) waiting(); };
  // Waits for the first frame of one of the given types; gives up after 15 s, so a refusal or
  // a lost frame fails the test with a reason instead of hanging it.
  const next = async (...types) => {
    const deadline = Date.now() + 15000;
    for (;;) {
      const index = frames.findIndex((frame) => types.includes(frame.type));
      if (index >= 0) return frames.splice(index, 1)[0];
      if (Date.now() > deadline) return {type: `timeout waiting for ${types.join("/")}`};
      await new Promise((resolve) => { waiting = resolve; setTimeout(resolve, 500); });
    }
  };
  await new Promise((resolve) => { ws.onopen = resolve; });
  await next("snapshot");
  ws.send(JSON.stringify({type: "enter", id: `enter-${Date.now()}`}));
  const snapshot = await next("snapshot");
  window.hoithiTest = {ws, next, answers: snapshot.answers || {}};
  return snapshot.type;
}
"""

ANSWER_JS = """
async ([slot, choice]) => {
  const {ws, next, answers} = window.hoithiTest;
  const base = (answers[String(slot)] || {revision: 0}).revision;
  ws.send(JSON.stringify({type: "answer", id: `a-${Date.now()}-${slot}`, slot, base,
                          response: {choice}}));
  const reply = await next("ack", "refused");
  return reply.type === "ack" ? "ack" : `${reply.type}: ${reply.reason || ""} ${reply.message || ""}`;
}
"""


@pytest.fixture
def board_server(start_daphne):
    server = start_daphne(setup=[("-m", DATA, "build")], seed=False)
    return server, json.loads(server.run("-m", DATA, "ids"))


def shot(page, name):
    save_shot(ARTIFACTS, page, name, full_page=False)


def play(server, data, pages_choices):
    """A live round takes answers only to its open question: for each question, connect every
    contestant, open it (in the database, as the host's command would), let each answer, and
    disconnect."""
    path = f"/ws/rounds/{data['round_id']}/play/"
    for slot in range(3):
        for page, _choices in pages_choices:
            assert page.evaluate(CONNECT_JS, path) == "snapshot"
        server.run("-m", DATA, "open_question", str(slot))
        for page, choices in pages_choices:
            assert page.evaluate(ANSWER_JS, [slot, choices[slot]]) == "ack"
        for page, _choices in pages_choices:
            page.evaluate("() => window.hoithiTest.ws.close()")


def row(page, data, code):
    return page.locator(f'#board-rows tr[data-id="{data["registrations"][code]}"]')


def test_projector_updates_freezes_for_the_public_and_reveals_to_the_podium(board_server, browser):
    from playwright.sync_api import expect

    server, data = board_server
    board_path = f"/ky/{data['edition']}/vong-thi/{data['round_slug']}/bang-diem/"
    public = new_page(browser, **PROJECTOR)
    public.goto(f"{server.base_url}/bang-diem/{data['token']}/")
    expect(public.locator("#conn-state")).to_have_attribute("data-state", "connected")
    expect(public.locator("#board-phase")).to_have_attribute("data-phase", "live")
    organiser = logged_in(browser, server.base_url, data["organiser"], data["password"], **DESKTOP)
    organiser.goto(server.base_url + board_path)
    expect(organiser.locator("#board-phase")).to_have_attribute("data-phase", "live")

    contestants = {
        code: logged_in(browser, server.base_url, code, data["password"], **PHONE)
        for code in ("ts1", "ts2", "ts3", "ts4")
    }
    play(
        server,
        data,
        [(contestants["ts1"], "aab"), (contestants["ts2"], "aaa"), (contestants["ts3"], "abb")],
    )
    expect(row(public, data, "ts1").locator(".score")).to_have_text("2")
    expect(row(public, data, "ts2").locator(".score")).to_have_text("3")
    expect(row(public, data, "ts3").locator(".score")).to_have_text("1")
    expect(public.locator("#board-rows tr").first).to_have_attribute(
        "data-id", str(data["registrations"]["ts2"])
    )
    expect(row(public, data, "ts1").locator(".unit")).to_contain_text("Hoàn Kiếm")
    expect(row(public, data, "ts3").locator(".name")).to_have_text("Thí sinh (ẩn tên)")  # no consent
    expect(row(organiser, data, "ts3").locator(".name")).to_have_text("Nguyễn Thu Hà")
    shot(public, "projector-live-1920")
    public.set_viewport_size(PHONE)
    shot(public, "projector-live-360")
    public.set_viewport_size(PROJECTOR)

    # The last minute before the close begins in 2 seconds: the public board freezes.
    server.run("-m", DATA, "close_in", "62")
    public.wait_for_timeout(2500)
    play(server, data, [(contestants["ts4"], "aaa"), (contestants["ts3"], "aaa")])  # ts3 answers again
    expect(row(organiser, data, "ts4").locator(".score")).to_have_text("3")
    expect(row(organiser, data, "ts3").locator(".score")).to_have_text("3")
    expect(public.locator("#board-phase")).to_have_attribute("data-phase", "frozen")
    expect(row(public, data, "ts3").locator(".score")).to_have_text("1")
    expect(row(public, data, "ts4")).to_have_count(0)
    shot(public, "projector-frozen-1920")
    shot(organiser, "organiser-live-during-freeze")

    # The organiser closes the round and reveals from the bottom; the hall sees the podium.
    control = logged_in(browser, server.base_url, data["organiser"], data["password"], **DESKTOP)
    control.goto(f"{server.base_url}/ky/{data['edition']}/vong-thi/{data['round_slug']}/dieu-khien/")
    control.once("dialog", lambda dialog: dialog.accept())
    control.click('[data-action="close"]')
    expect(control.locator("#round-state")).to_have_attribute("data-state", "closed")
    ranking = f"{server.base_url}/ky/{data['edition']}/vong-thi/{data['round_slug']}/xep-hang/"
    control.goto(ranking)
    control.click("#reveal-start")
    expect(public.locator("#board-phase")).to_have_attribute("data-phase", "reveal")
    control.click("#reveal-next")
    expect(public.locator('#board-rows tr[data-revealed="yes"]')).to_have_count(1)
    expect(public.locator('#board-rows tr[data-revealed="yes"]')).to_have_attribute(
        "data-id", str(data["registrations"]["ts1"])
    )
    shot(public, "projector-reveal-1920")
    for _ in range(3):
        control.click("#reveal-next")
    expect(public.locator("#podium")).to_be_visible()
    expect(public.locator("#podium-places li")).to_have_count(3)  # ts2, ts3, ts4 share first place
    expect(public.locator("#podium-places")).to_contain_text("Trần Quốc Bảo")
    shot(public, "projector-podium-1920")
    public.set_viewport_size(PHONE)
    shot(public, "projector-podium-360")

    # The ranking page explains the order; the prizes page shows the tie at the quota boundary
    # (three share first place, one first prize) to the organiser, who decides with a reason.
    control.set_viewport_size(DESKTOP)
    control.goto(ranking)
    expect(control.locator("table.ranking")).to_contain_text("Bằng nhau theo mọi tiêu chí: đồng hạng.")
    shot(control, "ranking-desktop")
    control.set_viewport_size(PHONE)
    shot(control, "ranking-360")
    control.set_viewport_size(DESKTOP)
    control.goto(f"{server.base_url}/ky/{data['edition']}/giai-thuong/")
    control.fill("#q-i-first", "1")
    control.click("form:has(#q-i-first) button[type=submit]")
    expect(control.locator(".notice.tie")).to_contain_text("Cần quyết định:")
    shot(control, "prizes-tie-desktop")
    control.locator(".notice.tie label", has_text="Trần Quốc Bảo").click()
    control.fill("#reason-individual", "Bốc thăm công khai trước hội đồng")
    control.click(".notice.tie button[type=submit]")
    expect(control.locator(".notice.tie")).to_have_count(0)
    expect(control.locator('section[aria-labelledby="prizes-individual"] ul.plain li')).to_have_text(
        ["Trần Quốc Bảo – LĐLĐ quận Hoàn Kiếm (100,00) theo quyết định"]
    )
    control.set_viewport_size(PHONE)
    shot(control, "prizes-decided-360")
