"""Smoke test in a real browser against a real Daphne server with the demo data."""

import pytest

from contest.demo import DEMO_PASSWORD
from tests.browser.conftest import new_page, screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.server]


def log_in(page, base_url, username, password=DEMO_PASSWORD):
    page.goto(f"{base_url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_the_demo_organiser_logs_in_and_sees_the_dashboard_in_vietnamese(page, live_server_url, request):
    page.goto(f"{live_server_url}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("link", name="Đăng nhập để dự thi").click()

    log_in(page, live_server_url, "btc")

    page.wait_for_url(f"{live_server_url}/bang-dieu-khien/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bảng điều khiển"
    body = page.locator("main").inner_text()
    assert "Xin chào, Nguyễn Thị Thu Hà." in body
    assert "Ban tổ chức" in body
    assert "Hội thi Ứng dụng CNTT trong hoạt động công đoàn 2026 (mẫu)" in body
    page.screenshot(path=str(screenshot_path(request, "dashboard")), full_page=True)

    page.get_by_role("link", name="Thí sinh").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thí sinh")
    assert page.get_by_text("Nguyễn Thị Ánh Tuyết").is_visible()


def test_a_wrong_password_shows_a_vietnamese_error(page, live_server_url):
    log_in(page, live_server_url, "btc", "sai-mat-khau")
    assert page.get_by_role("alert").inner_text().startswith("Tên đăng nhập hoặc mật khẩu không đúng")


@pytest.mark.parametrize("path", ["/", "/dang-nhap/"], ids=["home", "login"])
def test_pages_fit_a_360_px_phone_without_sideways_scrolling(browser, live_server_url, request, path):
    page = new_page(browser, width=360, height=740)
    try:
        page.goto(f"{live_server_url}{path}")
        page.screenshot(path=str(screenshot_path(request, "360px")), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        if path == "/dang-nhap/":
            # The login form is ready to type into.
            assert page.evaluate("document.activeElement.id") == "id_username"
        else:
            # Keyboard first: the first Tab lands on the skip link, and it becomes visible.
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.className") == "skip-link"
            assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0
    finally:
        page.context.close()


def test_an_organiser_registers_contestants_from_a_file_and_gets_printable_slips(
    browser, live_server_url, request, tmp_path
):
    upload = tmp_path / "danh-sach.csv"
    upload.write_text(
        "Họ và tên;Ngày sinh (dd/mm/yyyy);Mã đơn vị;Email;Đồng ý công khai (có/không)\n"
        "Đoàn Thị Thanh Xuân;14/02/1990;DONGDA;xuan.dt@example.vn;có\n"
        "Khúc Văn Hùng;03/03/1983;DONGDA;;không\n",
        encoding="utf-16",
    )
    page = new_page(browser, width=360, height=740)
    try:
        log_in(page, live_server_url, "btc")
        page.goto(f"{live_server_url}/ky/demo/thi-sinh/nhap/")
        page.get_by_label("Tệp danh sách").set_input_files(str(upload))
        page.get_by_role("button", name="Kiểm tra và xem trước").click()
        assert page.get_by_role("button", name="Xác nhận đăng ký 2 thí sinh").is_visible()
        page.screenshot(path=str(screenshot_path(request, "preview-360px")), full_page=True)

        page.get_by_role("button", name="Xác nhận đăng ký 2 thí sinh").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Phiếu đăng nhập"
        slips = page.locator(".slip")
        assert slips.count() == 2
        assert "Khúc Văn Hùng" in slips.first.inner_text()  # Hùng before Xuân
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(screenshot_path(request, "slips-360px")), full_page=True)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.screenshot(path=str(screenshot_path(request, "slips-print")), full_page=True)
    finally:
        page.context.close()
