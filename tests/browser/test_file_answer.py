"""A practical task in a real browser: the contestant uploads a .docx (by keyboard), the
answer is acknowledged after commit, a reload shows the file's name, and the judge's answer
sheet downloads the same bytes. Screenshots go to test-artifacts/exam/."""

import io
import json
from pathlib import Path

import pytest

from tests.browser.conftest import logged_in

pytestmark = [pytest.mark.browser, pytest.mark.server]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "exam"
DATA = "tests.browser.file_answer_data"
PHONE = {"width": 360, "height": 740}


def docx_bytes() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Bài thực hành của Phạm Thị Lan")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_contestant_uploads_a_file_that_the_judge_downloads(start_daphne, browser):
    from playwright.sync_api import expect

    server = start_daphne(setup=[("-m", DATA, "build")], seed=False)
    data = json.loads(server.run("-m", DATA, "ids"))
    content = docx_bytes()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    lan = logged_in(browser, server.base_url, data["contestant"], data["password"], **PHONE)
    lan.goto(server.base_url + f"/ky/{data['edition']}/thi/{data['round_id']}/")
    lan.click("#enter-form button[type=submit]")
    expect(lan.locator("#exam")).to_be_visible()
    status = lan.locator("#question-0 .file-status")

    lan.get_by_role("button", name="Tải tệp lên").focus()
    lan.keyboard.press("Enter")
    expect(status).to_have_text("Hãy chọn một tệp.")
    lan.get_by_label("Chọn tệp bài làm").set_input_files(
        {"name": "ghi-chu.txt", "mimeType": "text/plain", "buffer": b"xin chao"}
    )
    lan.get_by_role("button", name="Tải tệp lên").click()
    expect(status).to_have_text("Chỉ nhận tệp .docx, .pdf.")
    lan.get_by_label("Chọn tệp bài làm").set_input_files(
        {"name": "bài làm.docx", "mimeType": "application/octet-stream", "buffer": content}
    )
    lan.get_by_role("button", name="Tải tệp lên").press("Enter")
    expect(lan.locator("#question-0 .save-state")).to_have_attribute("data-state", "saved", timeout=10_000)
    expect(lan.locator("#question-0 .file-current")).to_have_text("Tệp đã nộp: bài làm.docx")
    lan.screenshot(path=str(ARTIFACTS / "file-answer-360.png"), full_page=True)

    lan.reload()
    expect(lan.locator("#question-0 .file-current")).to_have_text("Tệp đã nộp: bài làm.docx", timeout=10_000)
    attempt = json.loads(server.run("-m", DATA, "attempt"))
    assert len(attempt["answers"]) == 1 and set(attempt["answers"][0]) == {"upload_id"}

    judge = logged_in(browser, server.base_url, data["judge"], data["password"], **PHONE)
    judge.goto(server.base_url + f"/ky/{data['edition']}/cham-thi/{data['round_slug']}/bai/{attempt['id']}/")
    link = judge.get_by_role("link", name="bài làm.docx")
    expect(link).to_be_visible()
    judge.screenshot(path=str(ARTIFACTS / "file-answer-judge-sheet.png"), full_page=True)
    download = judge.request.get(server.base_url + link.get_attribute("href"))
    assert download.status == 200 and download.body() == content
    assert lan.request.get(server.base_url + link.get_attribute("href")).status == 200
