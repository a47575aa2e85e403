"""static/js/ws-client.js in a real browser, without a server: the clock estimate, the
durable outbox and the backoff. The page is served from a routed fake origin so that
localStorage exists, as it does on the exam page."""

from pathlib import Path

import pytest

from tests.browser.conftest import new_page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://hoithi.test"


@pytest.fixture
def client_page(browser):
    script = (ROOT / "static" / "js" / "ws-client.js").read_text(encoding="utf-8")
    page = new_page(browser)
    page.route(
        f"{ORIGIN}/",
        lambda route: route.fulfill(content_type="text/html", body="<!doctype html><title>t</title>"),
    )
    page.route(
        f"{ORIGIN}/ws-client.js",
        lambda route: route.fulfill(content_type="text/javascript; charset=utf-8", body=script),
    )
    page.goto(f"{ORIGIN}/")
    page.add_script_tag(url=f"{ORIGIN}/ws-client.js")
    yield page
    page.context.close()


def test_the_clock_trusts_the_sample_with_the_smallest_round_trip(client_page):
    offset, latency = client_page.evaluate(
        """() => {
        const c = new HoiThi.ClockSync();
        c.add(1000, 61000 + 200, 1400);   // rtt 400: offset estimate 60000 +- 200
        c.add(2000, 62000 + 10, 2020);    // rtt 20: offset 60000 +- 10
        c.add(3000, 63000 + 300, 3600);   // rtt 600
        return [c.offset(), c.latency()];
    }"""
    )
    assert (offset, latency) == (60000, 20)


def test_the_clock_starts_over_when_the_phone_clock_jumps(client_page):
    samples, offset = client_page.evaluate(
        """() => {
        const c = new HoiThi.ClockSync();
        c.add(1000, 61010, 1020);
        c.add(2000, 62010, 2020);
        c.add(500000, 3010, 500020);      // the user moved the phone's clock forward
        return [c.samples.length, c.offset()];
    }"""
    )
    assert samples == 1
    assert offset == 3010 - 500010


def test_an_unacknowledged_answer_survives_a_reload(client_page):
    client_page.evaluate(
        """() => {
        const box = new HoiThi.Outbox("hoithi.outbox.41");
        box.put("0", {choice: "a"}, 0);
    }"""
    )
    client_page.reload()
    client_page.add_script_tag(url=f"{ORIGIN}/ws-client.js")
    pending = client_page.evaluate("() => new HoiThi.Outbox('hoithi.outbox.41').pending()")
    assert len(pending) == 1
    assert pending[0]["question"] == "0"
    assert pending[0]["entry"]["response"] == {"choice": "a"}
    assert pending[0]["entry"]["base"] == 0
    assert len(pending[0]["entry"]["cmid"]) == 24


def test_a_second_change_waits_for_the_first_ack_and_is_sent_against_its_revision(client_page):
    result = client_page.evaluate(
        """() => {
        const box = new HoiThi.Outbox("hoithi.outbox.7");
        const first = box.put("2", {choice: "a"}, 3);
        const held = box.put("2", {choice: "b"}, 3);
        const stranger = box.ack("2", "not-this-id", 9);
        const follow = box.ack("2", first.cmid, 4);
        const last = box.ack("2", follow.cmid, 5);
        return {held, stranger, follow: {response: follow.response, base: follow.base,
                new_id: follow.cmid !== first.cmid}, last, empty: box.isEmpty(),
                stored: localStorage.getItem("hoithi.outbox.7")};
    }"""
    )
    assert result["held"] is None
    assert result["stranger"] is None
    assert result["follow"] == {"response": {"choice": "b"}, "base": 4, "new_id": True}
    assert result["last"] is None
    assert result["empty"] is True
    assert result["stored"] is None  # nothing left behind on a shared computer


def test_reconnect_delays_grow_but_stay_capped_and_jittered(client_page):
    delays = client_page.evaluate(
        """() => [0, 1, 2, 3, 4, 5, 6, 10].map(n => HoiThi.backoffDelay(n, 500, 15000, () => 0.999))"""
    )
    assert delays == sorted(delays)
    assert delays[-1] <= 15000
    low = client_page.evaluate("() => HoiThi.backoffDelay(8, 500, 15000, () => 0)")
    assert low == 250  # full jitter, with a floor so a broken server is not hammered


def test_names_fold_for_searching(client_page):
    assert client_page.evaluate("() => HoiThi.fold('Đỗ Văn NAM')") == "do van nam"
