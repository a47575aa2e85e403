import copy
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from contest.exporters.csv_safe import render_csv_zip
from contest.exporters.results import (
    SCHEMA_VERSION,
    ContestantResult,
    EditionInfo,
    ResultsData,
    RoundInfo,
    RoundResult,
    TeamResult,
    UnitResult,
    dumps_results,
    item_analysis_table,
    results_document,
    results_tables,
)
from contest.exporters.xlsx import render_xlsx
from contest.item_analysis import ItemFlag, ItemKey, ItemResponse, analyse_items
from contest.prizes import PrizeLevel

SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "docs" / "results.schema.json").read_text())
D = Decimal
T = datetime(2026, 11, 27, 2, 15, 30, 250000, tzinfo=UTC)


def qualifier(score, rank, used=None, guess=None):
    return RoundResult("vong-loai", D(score), rank, time_used_seconds=used, submitted_at=T, guess=guess)


DATA = ResultsData(
    edition=EditionInfo(
        slug="hoi-thi-2026",
        name="Hội thi Tin học cán bộ công đoàn Thủ đô năm 2026",
        organiser="Liên đoàn Lao động Thành phố Hà Nội",
        starts_on=date(2026, 11, 1),
    ),
    rounds=(
        RoundInfo(
            "vong-loai", "Vòng loại", D(40), D(30), ("score", "prediction", "time_used", "submitted_at")
        ),
        RoundInfo("chung-ket", "Chung kết", D("100"), D(70), ("score", "time_used")),
    ),
    units=(
        UnitResult("HK", "Công đoàn Quận Hoàn Kiếm", "C1", 40, 30, D("75.00"), D(10), D("85.00"), 1),
        UnitResult("BD", "Công đoàn Quận Ba Đình", None, 0, 3, None, D(0), D(0), 2),
    ),
    teams=(TeamResult("D1", "Đội Hoàn Kiếm", "HK", ("TS002", "TS001"), D("17.5"), 1, PrizeLevel.FIRST),),
    contestants=(
        ContestantResult(
            "TS002",
            "Trần Văn Bình",
            "HK",
            "D1",
            (RoundResult("chung-ket", D(80), 2), qualifier("20", 2, 900, D(101))),
            D("71.00"),
            2,
            None,
        ),
        ContestantResult(
            "TS001",
            "=Nguyễn Thị Ánh",
            "HK",
            "D1",
            (qualifier("37.5", 1, 850, D("99.5")), RoundResult("chung-ket", D(95), 1)),
            D("94.63"),
            1,
            PrizeLevel.FIRST,
        ),
        ContestantResult("TS003", "Lê Văn Ước", "BD", None, (), None, None),
    ),
)


def test_the_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(SCHEMA)


def test_the_document_validates_against_the_schema():
    document = json.loads(dumps_results(results_document(DATA)))
    Draft202012Validator(SCHEMA).validate(document)
    assert document["schema_version"] == SCHEMA_VERSION == SCHEMA["properties"]["schema_version"]["const"]


def test_an_invalid_document_is_caught_by_the_schema():
    document = json.loads(dumps_results(results_document(DATA)))
    broken = copy.deepcopy(document)
    broken["contestants"][0]["prize"] = "gold"
    assert list(Draft202012Validator(SCHEMA).iter_errors(broken))
    broken = copy.deepcopy(document)
    broken["contestants"][0]["surprise"] = 1
    assert list(Draft202012Validator(SCHEMA).iter_errors(broken))


def test_the_document_orders_by_rank_and_code_and_keeps_numbers_as_numbers():
    document = results_document(DATA)
    assert [c["code"] for c in document["contestants"]] == ["TS001", "TS002", "TS003"]
    first = document["contestants"][0]
    assert first["score"] == 94.63
    assert first["prize"] == "first"
    assert [r["round"] for r in first["rounds"]] == ["vong-loai", "chung-ket"]
    assert first["rounds"][0] == {
        "round": "vong-loai",
        "score": 37.5,
        "rank": 1,
        "time_used_seconds": 850,
        "submitted_at": "2026-11-27T02:15:30.250000Z",
        "guess": 99.5,
    }
    assert first["rounds"][1]["score"] == 95 and isinstance(first["rounds"][1]["score"], int)
    assert document["rounds"][1] == {
        "slug": "chung-ket",
        "name": "Chung kết",
        "position": 2,
        "max_score": 100,
        "weight": 70,
        "tie_break": ["score", "time_used"],
    }
    assert document["teams"][0]["members"] == ["TS001", "TS002"]
    assert document["units"][1]["participation_rate"] is None


def test_the_json_is_byte_identical_whatever_the_input_order():
    shuffled = replace(
        DATA,
        contestants=tuple(reversed(DATA.contestants)),
        units=tuple(reversed(DATA.units)),
    )
    data = dumps_results(results_document(DATA))
    assert dumps_results(results_document(shuffled)) == data
    assert data.endswith(b"\n")
    assert "Nguyễn Thị Ánh".encode() in data  # readable UTF-8, not \\u escapes
    assert b"export" not in data.lower()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"contestants": DATA.contestants + (DATA.contestants[0],)}, "duplicate contestant codes"),
        ({"teams": (replace(DATA.teams[0], unit_code="XX"),)}, "unknown unit XX"),
        ({"teams": (replace(DATA.teams[0], member_codes=("TS009",)),)}, "unknown members"),
        (
            {"contestants": DATA.contestants[:2] + (replace(DATA.contestants[2], team_code="D9"),)},
            "unknown team D9",
        ),
        (
            {
                "contestants": DATA.contestants[:2]
                + (replace(DATA.contestants[2], rounds=(RoundResult("vong-3", D(1), 1),)),)
            },
            "unknown rounds",
        ),
    ],
)
def test_inconsistent_results_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        results_document(replace(DATA, **change))


def test_the_tables_cover_the_overall_ranking_each_round_teams_and_units():
    tables = results_tables(DATA)
    assert [t.name for t in tables] == [
        "xep-hang-ca-nhan",
        "vong-1",
        "vong-2",
        "xep-hang-doi",
        "xep-hang-don-vi",
    ]
    overall, qualifying, final, teams, units = tables
    assert overall.headers == ["Hạng", "Số báo danh", "Họ và tên", "Đơn vị", "Đội", "Điểm", "Giải"]
    assert overall.rows[0] == [
        1,
        "TS001",
        "=Nguyễn Thị Ánh",
        "Công đoàn Quận Hoàn Kiếm",
        "Đội Hoàn Kiếm",
        D("94.63"),
        "Giải Nhất",
    ]
    assert overall.rows[2][4:] == [None, None, None]
    assert qualifying.title == "Vòng loại"
    assert [row[1] for row in qualifying.rows] == ["TS001", "TS002"]  # TS003 took no round
    assert qualifying.rows[0][4:] == [D("37.5"), D("99.5"), 850, T]
    assert teams.rows == [[1, "D1", "Đội Hoàn Kiếm", "Công đoàn Quận Hoàn Kiếm", 2, D("17.5"), "Giải Nhất"]]
    assert units.rows[1] == [2, "BD", "Công đoàn Quận Ba Đình", None, 0, 3, None, D(0), D(0)]


def test_the_tables_render_in_every_format():
    tables = results_tables(DATA)
    assert render_xlsx(tables).startswith(b"PK")
    assert render_csv_zip(tables).startswith(b"PK")


def test_an_edition_without_teams_has_no_team_table():
    solo = replace(DATA, teams=(), contestants=tuple(replace(c, team_code=None) for c in DATA.contestants))
    assert [t.name for t in results_tables(solo)] == [
        "xep-hang-ca-nhan",
        "vong-1",
        "vong-2",
        "xep-hang-don-vi",
    ]


def test_the_item_analysis_sheet_summarises_options_and_spells_out_flags():
    keys = [ItemKey("q1", ("A", "B"), frozenset("A")), ItemKey("q2")]
    totals = {f"c{i}": D(10 - i) for i in range(4)}
    responses = [
        ItemResponse("c0", "q1", D(0), frozenset("B")),
        ItemResponse("c1", "q1", D(1), frozenset("A")),
        ItemResponse("c2", "q1", D(1), frozenset("A")),
        ItemResponse("c3", "q1", D(1), frozenset("A")),
    ]
    table = item_analysis_table(
        analyse_items(keys, responses, totals), question_labels={"q1": "Câu 1", "q2": "Câu 2"}
    )
    assert table.rows[0][:6] == ["Câu 1", 4, D("75.00"), D("75.00"), D("-1.00"), 1]
    assert table.rows[0][6] == "A*: 3 (giỏi 0 / yếu 1); B: 1 (giỏi 1 / yếu 0)"
    assert table.rows[0][8] == " ".join(sorted(f.label for f in ItemFlag))
    assert table.rows[1] == ["Câu 2", 0, None, None, None, 0, None, 0, None]
    table.check()
