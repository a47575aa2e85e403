"""static/js/question-render.js in a real browser: every question type is drawn with native,
labelled inputs, and a response written into the page reads back unchanged (that round trip is
what restores a contestant's answers after a reload)."""

import json
from pathlib import Path

import pytest

from tests.browser.conftest import new_page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://hoithi.test"

QUESTIONS = [
    (
        {
            "slot": 0,
            "qtype": "single",
            "definition": {"options": [{"id": "b", "html": "Ctrl+S"}, {"id": "a", "html": "Ctrl+P"}]},
        },
        {"choice": "a"},
    ),
    (
        {
            "slot": 1,
            "qtype": "multiple",
            "definition": {
                "options": [
                    {"id": "x", "html": "Chrome"},
                    {"id": "y", "html": "Excel"},
                    {"id": "z", "html": "Firefox"},
                ]
            },
        },
        {"choices": ["x", "z"]},
    ),
    ({"slot": 2, "qtype": "truefalse", "definition": {}}, {"value": False}),
    ({"slot": 3, "qtype": "short", "definition": {}}, {"text": "Hà Nội"}),
    ({"slot": 4, "qtype": "numeric", "definition": {"prediction": False}}, {"value": "3,14"}),
    (
        {"slot": 5, "qtype": "essay", "definition": {"min_words": 50, "max_words": None}},
        {"text": "Công đoàn cơ sở…"},
    ),
    (
        {
            "slot": 6,
            "qtype": "ordering",
            "definition": {
                "items": [{"id": "1", "html": "Mở"}, {"id": "2", "html": "Sửa"}, {"id": "3", "html": "Lưu"}]
            },
        },
        {"order": ["3", "1", "2"]},
    ),
    (
        {
            "slot": 7,
            "qtype": "matching",
            "definition": {
                "prompts": [{"id": "p1", "html": "Word"}, {"id": "p2", "html": "Excel"}],
                "choices": ["Bảng tính", "Văn bản"],
            },
        },
        {"pairs": {"p1": "Văn bản", "p2": "Bảng tính"}},
    ),
]


def serve_script(body):
    def fulfill(route):
        route.fulfill(content_type="text/javascript; charset=utf-8", body=body)

    return fulfill


@pytest.fixture
def render_page(browser):
    scripts = {
        name: (ROOT / "static" / "js" / name).read_text(encoding="utf-8")
        for name in ("ws-client.js", "question-render.js")
    }
    page = new_page(browser, width=360)
    page.route(
        f"{ORIGIN}/",
        lambda route: route.fulfill(content_type="text/html", body="<!doctype html><main id=m></main>"),
    )
    for name, body in scripts.items():
        page.route(f"{ORIGIN}/{name}", serve_script(body))
    page.goto(f"{ORIGIN}/")
    for name in scripts:
        page.add_script_tag(url=f"{ORIGIN}/{name}")
    yield page
    page.context.close()


@pytest.mark.parametrize(("question", "response"), QUESTIONS, ids=[q["qtype"] for q, _ in QUESTIONS])
def test_a_written_response_reads_back_unchanged(render_page, question, response):
    result = render_page.evaluate(
        """([q, r]) => {
        const area = HoiThi.renderAnswerArea(q, HoiThi.questionLabels());
        document.getElementById("m").appendChild(area);
        const empty = HoiThi.readResponse(area, q.qtype);
        HoiThi.writeResponse(area, q.qtype, r);
        const marked = Array.from(area.querySelectorAll("label.choice"))
            .every(l => l.classList.contains("is-checked") === l.querySelector("input").checked);
        return {empty, marked, back: HoiThi.readResponse(area, q.qtype), answered: HoiThi.isAnswered(q.qtype, r)};
    }""",
        [question, response],
    )
    assert json.dumps(result["back"], sort_keys=True) == json.dumps(response, sort_keys=True)
    assert result["answered"] is True
    assert result["marked"] is True  # chosen options highlighted without :has()
    if question["qtype"] in ("single", "truefalse"):
        assert result["empty"] is None  # nothing chosen yet is not an answer


def test_every_input_has_a_label_and_options_keep_the_papers_order(render_page):
    report = render_page.evaluate(
        """(questions) => {
        const labels = HoiThi.questionLabels();
        questions.forEach(q => document.getElementById("m").appendChild(HoiThi.renderAnswerArea(q, labels)));
        const unlabelled = Array.from(document.querySelectorAll("input, select, textarea"))
            .filter(i => !(i.labels && i.labels.length) && !i.getAttribute("aria-label")).map(i => i.outerHTML);
        const order = Array.from(document.querySelectorAll("input[name=q0]")).map(i => i.value);
        const keys = Array.from(document.querySelectorAll("[name=q0] + .choice-key")).map(k => k.textContent);
        return {unlabelled, order, keys};
    }""",
        [q for q, _ in QUESTIONS],
    )
    assert report["unlabelled"] == []
    assert report["order"] == ["b", "a"]  # this contestant's shuffled order, as sent
    assert report["keys"] == ["A.", "B."]


def test_the_ordering_buttons_move_an_item_and_keep_focus(render_page):
    order, focused = render_page.evaluate(
        """(q) => {
        const area = HoiThi.renderAnswerArea(q, HoiThi.questionLabels());
        document.getElementById("m").appendChild(area);
        const down = area.querySelector('[data-item="1"] [data-move="1"]');
        HoiThi.handleMove(down);
        return [HoiThi.readResponse(area, "ordering").order, document.activeElement === down];
    }""",
        QUESTIONS[6][0],
    )
    assert order == ["2", "1", "3"]
    assert focused is True
