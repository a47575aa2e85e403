"""Question banks in a real browser: import a Word file through the UI (upload, preview,
confirm) and find the questions in the list; the editor's live preview; 360 px layouts."""

import pytest

from contest.demo import DEMO_SLUG
from tests.browser.conftest import new_page, screenshot_path
from tests.browser.test_smoke import log_in
from tests.quizzes.importers.docx_builders import DocBuilder

pytestmark = [pytest.mark.browser, pytest.mark.server]


def word_file(tmp_path):
    doc = DocBuilder()
    doc.para(("ĐỀ THI TRẮC NGHIỆM TIN HỌC VĂN PHÒNG", {"bold"}))
    doc.para("Câu 1: Trong Microsoft Word, tổ hợp phím nào dùng để")
    doc.para("in đậm đoạn văn bản đang chọn?")
    doc.para("A. Ctrl+B\tB. Ctrl+I\tC. Ctrl+U\tD. Ctrl+E")
    doc.para("Đáp án: A")
    doc.para("Câu 2: Phần mềm nào là bảng tính?")
    doc.table([["A. Word", ("B. Excel", {"bold"})], ["C. PowerPoint", "D. Paint"]])
    doc.para("Câu 3: Hệ điều hành nào do Microsoft phát triển?")
    doc.para("A. Windows")
    doc.para("B. Ubuntu")
    doc.para("Câu 4: Địa chỉ thư điện tử phải có ký tự nào?")
    doc.para("A. @")
    doc.para("B. #")
    doc.para("Đáp án: A")
    path = tmp_path / "de-thi-tin-hoc.docx"
    path.write_bytes(doc.bytes())
    return path


def open_new_bank(page, base_url, name):
    page.goto(f"{base_url}/ky/{DEMO_SLUG}/")
    page.get_by_role("link", name="Ngân hàng câu hỏi").click()
    page.get_by_label("Tên ngân hàng").fill(name)
    page.get_by_role("button", name="Tạo ngân hàng").click()
    page.wait_for_selector(f"h1:has-text('{name}')")


def test_an_organiser_imports_a_word_file_previews_confirms_and_finds_the_questions(
    page, live_server_url, request, tmp_path
):
    log_in(page, live_server_url, "btc")
    page.wait_for_url(f"{live_server_url}/bang-dieu-khien/")
    open_new_bank(page, live_server_url, "Vòng sơ khảo")

    page.get_by_role("link", name="Nhập từ tệp").first.click()
    page.get_by_label("Tệp câu hỏi").set_input_files(str(word_file(tmp_path)))
    page.get_by_role("button", name="Tải lên và xem trước").click()

    page.wait_for_selector("h1:has-text('Xem trước khi nhập')")
    table = page.locator("table.preview-table")
    assert table.locator("tbody tr").count() == 4
    assert "in đậm đoạn văn bản" in table.inner_text()
    problem = table.locator("tr.row-error")
    assert problem.count() == 1
    assert "Câu 3: không xác định được đáp án đúng" in problem.inner_text()
    page.screenshot(path=str(screenshot_path(request, "import-preview")), full_page=True)

    page.get_by_role("button", name="Nhập 3 câu hợp lệ, bỏ qua 1 câu lỗi").click()
    page.wait_for_selector("text=Đã nhập 3 câu hỏi")
    rows = page.locator("table.question-table tbody tr")
    assert rows.count() == 3
    listing = page.locator("table.question-table").inner_text()
    assert "Phần mềm nào là bảng tính?" in listing
    assert "Hệ điều hành nào" not in listing

    # Accent-insensitive search finds the imported question.
    page.get_by_label("Tìm kiếm (không cần gõ dấu)").fill("bang tinh")
    page.get_by_role("button", name="Lọc").click()
    assert page.locator("table.question-table tbody tr").count() == 1
    page.screenshot(path=str(screenshot_path(request, "bank-list")), full_page=True)

    # The editor shows the live preview exactly as contestants get it, without the key.
    page.get_by_role("link", name="Phần mềm nào là bảng tính?").click()
    preview = page.locator("#preview")
    preview.locator("label.choice").first.wait_for()
    assert preview.locator("label.choice").count() == 4
    page.get_by_label("Phương án 4").fill("Microsoft Access")
    preview.get_by_text("Microsoft Access").wait_for()
    assert "100" not in preview.inner_text()
    page.screenshot(path=str(screenshot_path(request, "edit-preview")), full_page=True)


def test_bank_pages_fit_a_360_px_phone(browser, live_server_url, request, tmp_path):
    page = new_page(browser, width=360, height=740)
    try:
        log_in(page, live_server_url, "btc")
        page.wait_for_url(f"{live_server_url}/bang-dieu-khien/")
        open_new_bank(page, live_server_url, "Ngân hàng điện thoại")
        page.get_by_role("link", name="Nhập từ tệp").first.click()
        page.get_by_label("Tệp câu hỏi").set_input_files(str(word_file(tmp_path)))
        page.get_by_role("button", name="Tải lên và xem trước").click()
        page.wait_for_selector("h1:has-text('Xem trước khi nhập')")
        page.screenshot(path=str(screenshot_path(request, "import-preview-360")), full_page=True)
        page.get_by_role("button", name="Nhập 3 câu hợp lệ, bỏ qua 1 câu lỗi").click()
        page.wait_for_selector("text=Đã nhập 3 câu hỏi")
        page.screenshot(path=str(screenshot_path(request, "bank-list-360")), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.locator("table.question-table a").first.click()
        page.locator("#preview label.choice").first.wait_for()
        page.screenshot(path=str(screenshot_path(request, "edit-preview-360")), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # Keyboard: the type selector is reachable and the focus ring is visible.
        page.get_by_label("Loại câu hỏi").focus()
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    finally:
        page.context.close()
