"""The judging board in a real browser against a real Daphne server.

A head judge watches the round's board in one tab while, in another, they mark every essay
from the marking queue, adjust one question's score with a written reason and sign off (one
signature locks this round). The board follows each change live (the services publish
``board.hint`` after commit). Then the results are published and a contestant reads their own
sheet with the key and marks. Screenshots (desktop and 360 px) of the queue, the sheet and the
contestant's page go to test-artifacts/judging/.
"""

import json
from pathlib import Path

import pytest

from tests.browser.conftest import logged_in

pytestmark = [pytest.mark.browser, pytest.mark.server]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "judging"
DATA = "tests.browser.judging_data"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture
def judging_server(start_daphne):
    server = start_daphne(setup=[("-m", DATA, "build")], seed=False)
    return server, json.loads(server.run("-m", DATA, "ids"))


def shots(page, name):
    """A desktop and a 360 px full-page screenshot of the current page."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    page.set_viewport_size(size)


def test_a_judge_marks_adjusts_and_signs_off_and_the_board_follows(judging_server, browser):
    from playwright.sync_api import expect

    server, data = judging_server
    people = data["people"]
    lan, hoa = people["Phạm Thị Lan"], people["Lê Thị Hoa"]
    base = f"{server.base_url}/ky/{data['edition']}"

    board = logged_in(browser, server.base_url, "truonggk", data["password"], **DESKTOP)
    board.goto(f"{base}/vong-thi/{data['round_slug']}/bang-diem/")
    lan_row = board.locator(f'#board-rows tr[data-id="{lan["registration"]}"] .score')
    hoa_row = board.locator(f'#board-rows tr[data-id="{hoa["registration"]}"] .score')
    expect(lan_row).to_have_text("3")
    expect(hoa_row).to_have_text("0")

    judge = logged_in(browser, server.base_url, "truonggk", data["password"], **DESKTOP)
    judge.get_by_role("link", name="Chấm thi").click()
    judge.get_by_role("link", name="Vòng thi", exact=False).first.click()
    judge.get_by_role("link", name="Chấm tự luận").click()
    expect(judge.locator("h1")).to_have_text("Chấm tự luận và bài nộp tệp")
    expect(judge.locator(".badge.pending")).to_have_count(3)
    shots(judge, "queue")

    for name, person in people.items():
        judge.goto(f"{base}/cham-thi/{data['round_slug']}/cham-tay/")
        judge.get_by_role("link", name=name).click()
        slot = person["essay"]
        judge.fill(f"#q{slot}-c-total", "4")
        judge.fill(f"#q{slot}-comment", "Đủ ý, trình bày rõ ràng.")
        judge.locator(f"#q{slot} .mark-form button").click()
        expect(judge.locator(".message.success")).to_have_text("Đã lưu điểm chấm.")
        expect(judge.locator(f"#q{slot} .score-pill")).to_contain_text("4,00 / 5")
    expect(lan_row).to_have_text("7")

    # Hoa's first single-choice answer is worth a point after all: a reason is required.
    single = hoa["single"]
    judge.goto(f"{base}/cham-thi/{data['round_slug']}/bai/{hoa['attempt']}/")
    judge.locator(f"#q{single} details.adjust-form summary").click()
    judge.fill(f"#q{single}-points", "1")
    judge.fill(f"#q{single}-reason", "Phương án đã chọn cũng đúng theo văn bản mới.")
    judge.locator(f"#q{single} details.adjust-form button").click()
    expect(judge.locator(".message.success")).to_have_text("Đã điều chỉnh điểm.")
    expect(judge.locator(f"#q{single} .adjust-list")).to_contain_text("văn bản mới")
    expect(hoa_row).to_have_text("5")
    shots(judge, "sheet")

    judge.goto(f"{base}/cham-thi/{data['round_slug']}/")
    judge.get_by_role("button", name="Ký xác nhận kết quả").click()
    expect(judge.locator(".message.success")).to_have_text("Đã ký xác nhận kết quả.")
    expect(judge.locator("main")).to_contain_text("Kết quả đã khoá")
    judge.get_by_role("button", name="Công bố kết quả cho thí sinh").click()
    expect(judge.locator(".message.success")).to_have_text("Đã công bố kết quả cho thí sinh.")
    expect(lan_row).to_have_text("7")
    expect(hoa_row).to_have_text("5")
    shots(judge, "round")
    judge.get_by_role("link", name="Phân tích câu hỏi").click()
    expect(judge.locator("table.items tbody tr")).to_have_count(4)
    shots(judge, "items")
    judge.goto(f"{base}/nhat-ky/?action=score.")
    expect(judge.locator("table.audit tbody tr")).to_have_count(4)  # three marks, one adjustment
    shots(judge, "audit")

    contestant = logged_in(browser, server.base_url, lan["username"], data["password"], **DESKTOP)
    contestant.goto(f"{base}/ket-qua/{data['round_slug']}/")
    expect(contestant.locator(".stats")).to_contain_text("7,00 / 8,00")
    expect(contestant.locator(".tag-key")).to_have_count(3)
    shots(contestant, "own-result")
