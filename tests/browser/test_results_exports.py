"""Results out in a real browser: the exports page on a phone, a download, and a personal API
token made on its page and then used by a script against the same server."""

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import new_page, screenshot_path
from tests.browser.test_smoke import log_in

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_an_organiser_downloads_results_and_makes_a_token_a_script_can_use(browser, live_server_url, request):
    page = new_page(browser, width=360, height=740)
    try:
        log_in(page, live_server_url, "btc")
        page.goto(f"{live_server_url}/ky/demo/xuat-ket-qua/")
        assert page.get_by_role("heading", level=1).inner_text() == "Xuất kết quả"
        page.screenshot(path=str(screenshot_path(request, "exports-360px")), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        with page.expect_download() as download:
            page.get_by_role("link", name="JSON (theo lược đồ docs/results.schema.json)").first.click()
        document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert document["schema_version"] == "1.0" and document["edition"]["slug"] == "demo"

        page.get_by_role("link", name="Quản lý khóa API").click()
        page.get_by_label("Tên gợi nhớ").fill("Máy chủ báo cáo")
        page.get_by_role("button", name="Tạo khóa").click()
        token = page.get_by_label("Khóa", exact=True).input_value()
        page.screenshot(path=str(screenshot_path(request, "token-360px")), full_page=True)
        assert token.startswith("hoithi_")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        page.context.close()

    api = f"{live_server_url}/api/v1/editions/demo/results/"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(api, timeout=10)  # noqa: S310 - the test server
    refused.value.close()  # the error carries the open response
    assert refused.value.code == 401
    call = urllib.request.Request(api, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    with urllib.request.urlopen(call, timeout=10) as response:  # noqa: S310
        assert json.loads(response.read())["edition"]["slug"] == "demo"
