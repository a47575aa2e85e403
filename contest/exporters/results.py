"""An edition's results as plain data, and the tables and JSON document made from them. Pure.

Selectors fill :class:`ResultsData` from the models once; :func:`results_tables` turns it into
the tables the CSV, .xlsx and PDF writers render, and :func:`results_document` into the JSON
document described by docs/results.schema.json. :func:`item_analysis_table` makes the judges'
item analysis sheet from :mod:`contest.item_analysis` results. One source for every format means the JSON and
the spreadsheet can never disagree about a rank.

The JSON is deterministic: keys sorted, lists in a defined order (ranked entries by rank then
code, everything else by code), no export timestamp, so the same results give the same bytes
and two exports can be compared with ``diff``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from contest.exporters.tables import Column, Kind, Table
from contest.item_analysis import ItemStats, OptionCount
from contest.prizes import PrizeLevel

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class EditionInfo:
    slug: str
    name: str
    organiser: str
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """A round in contest order; ``weight`` is its share of the combined score, if it counts."""

    slug: str
    name: str
    max_score: Decimal
    weight: Decimal | None = None
    tie_break: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitResult:
    code: str
    name: str
    cluster: str | None
    expected_headcount: int
    took_part: int
    participation_rate: Decimal | None
    prize_points: Decimal
    score: Decimal
    rank: int | None


@dataclass(frozen=True, slots=True)
class TeamResult:
    code: str
    name: str
    unit_code: str
    member_codes: tuple[str, ...]
    score: Decimal | None
    rank: int | None
    prize: PrizeLevel | None = None


@dataclass(frozen=True, slots=True)
class RoundResult:
    """A contestant's result in one round. ``guess`` is the prediction question's answer."""

    round_slug: str
    score: Decimal | None
    rank: int | None
    time_used_seconds: int | None = None
    submitted_at: datetime | None = None
    guess: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ContestantResult:
    code: str
    full_name: str
    unit_code: str
    team_code: str | None
    rounds: tuple[RoundResult, ...]
    score: Decimal | None  # the combined score over rounds, or the only round's score
    rank: int | None
    prize: PrizeLevel | None = None


@dataclass(frozen=True, slots=True)
class ResultsData:
    edition: EditionInfo
    rounds: tuple[RoundInfo, ...]
    units: tuple[UnitResult, ...] = ()
    teams: tuple[TeamResult, ...] = ()
    contestants: tuple[ContestantResult, ...] = ()

    def check(self) -> None:
        """Codes unique and every reference known: a broken export must fail loudly, not ship."""
        for label, codes in (
            ("round", [r.slug for r in self.rounds]),
            ("unit", [u.code for u in self.units]),
            ("team", [t.code for t in self.teams]),
            ("contestant", [c.code for c in self.contestants]),
        ):
            duplicates = sorted(code for code, count in Counter(codes).items() if count > 1)
            if duplicates:
                raise ValueError(f"duplicate {label} codes: {duplicates}")
        rounds = {r.slug for r in self.rounds}
        units = {u.code for u in self.units}
        teams = {t.code for t in self.teams}
        contestants = {c.code for c in self.contestants}
        for team in self.teams:
            if team.unit_code not in units:
                raise ValueError(f"team {team.code}: unknown unit {team.unit_code}")
            if unknown := set(team.member_codes) - contestants:
                raise ValueError(f"team {team.code}: unknown members {sorted(unknown)}")
        for person in self.contestants:
            if person.unit_code not in units:
                raise ValueError(f"contestant {person.code}: unknown unit {person.unit_code}")
            if person.team_code is not None and person.team_code not in teams:
                raise ValueError(f"contestant {person.code}: unknown team {person.team_code}")
            if unknown := {r.round_slug for r in person.rounds} - rounds:
                raise ValueError(f"contestant {person.code}: unknown rounds {sorted(unknown)}")


def _ranked(items):
    """Ranked first by rank, the unranked after them, each by code: a stable, meaningful order."""
    return sorted(items, key=lambda item: (item.rank is None, item.rank or 0, item.code))


# -- JSON ---------------------------------------------------------------------------------------


def _number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: an integer when whole, else the shortest float that
    round-trips (scores have at most a few decimal places, far inside float precision)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _instant(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _prize(level: PrizeLevel | None) -> str | None:
    return None if level is None else level.value


def results_document(data: ResultsData) -> dict:
    """The JSON results export as a dict (see docs/results.schema.json)."""
    data.check()
    order = {r.slug: index for index, r in enumerate(data.rounds)}
    return {
        "schema_version": SCHEMA_VERSION,
        "edition": {
            "slug": data.edition.slug,
            "name": data.edition.name,
            "organiser": data.edition.organiser,
            "starts_on": _date(data.edition.starts_on),
            "ends_on": _date(data.edition.ends_on),
        },
        "rounds": [
            {
                "slug": r.slug,
                "name": r.name,
                "position": index + 1,
                "max_score": _number(r.max_score),
                "weight": _number(r.weight),
                "tie_break": list(r.tie_break),
            }
            for index, r in enumerate(data.rounds)
        ],
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "cluster": u.cluster,
                "expected_headcount": u.expected_headcount,
                "took_part": u.took_part,
                "participation_rate": _number(u.participation_rate),
                "prize_points": _number(u.prize_points),
                "score": _number(u.score),
                "rank": u.rank,
            }
            for u in _ranked(data.units)
        ],
        "teams": [
            {
                "code": t.code,
                "name": t.name,
                "unit": t.unit_code,
                "members": sorted(t.member_codes),
                "score": _number(t.score),
                "rank": t.rank,
                "prize": _prize(t.prize),
            }
            for t in _ranked(data.teams)
        ],
        "contestants": [
            {
                "code": c.code,
                "full_name": c.full_name,
                "unit": c.unit_code,
                "team": c.team_code,
                "score": _number(c.score),
                "rank": c.rank,
                "prize": _prize(c.prize),
                "rounds": [
                    {
                        "round": r.round_slug,
                        "score": _number(r.score),
                        "rank": r.rank,
                        "time_used_seconds": r.time_used_seconds,
                        "submitted_at": _instant(r.submitted_at),
                        "guess": _number(r.guess),
                    }
                    for r in sorted(c.rounds, key=lambda r: order[r.round_slug])
                ],
            }
            for c in _ranked(data.contestants)
        ],
    }


def dumps_results(document: dict) -> bytes:
    """UTF-8 JSON with sorted keys, readable Vietnamese and a final newline: byte-stable."""
    return (json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- Tables -------------------------------------------------------------------------------------


def _prize_label(level: PrizeLevel | None) -> str | None:
    return None if level is None else level.label


def results_tables(data: ResultsData) -> list[Table]:
    """The overall ranking, one table per round, teams and units, for CSV, .xlsx and PDF."""
    data.check()
    units = {u.code: u.name for u in data.units}
    teams = {t.code: t.name for t in data.teams}
    people = _ranked(data.contestants)
    tables = [
        Table(
            name="xep-hang-ca-nhan",
            title=_("Xếp hạng cá nhân"),
            columns=(
                Column(_("Hạng"), Kind.INTEGER),
                Column(_("Số báo danh")),
                Column(_("Họ và tên")),
                Column(_("Đơn vị")),
                Column(_("Đội")),
                Column(_("Điểm"), Kind.DECIMAL),
                Column(_("Giải")),
            ),
            rows=[
                [
                    c.rank,
                    c.code,
                    c.full_name,
                    units[c.unit_code],
                    teams.get(c.team_code),
                    c.score,
                    _prize_label(c.prize),
                ]
                for c in people
            ],
        )
    ]
    for index, round_ in enumerate(data.rounds, start=1):
        results = [
            (c, next((r for r in c.rounds if r.round_slug == round_.slug), None)) for c in data.contestants
        ]
        results = [(c, r) for c, r in results if r is not None]
        results.sort(key=lambda pair: (pair[1].rank is None, pair[1].rank or 0, pair[0].code))
        tables.append(
            Table(
                name=f"vong-{index}",
                title=round_.name,
                columns=(
                    Column(_("Hạng"), Kind.INTEGER),
                    Column(_("Số báo danh")),
                    Column(_("Họ và tên")),
                    Column(_("Đơn vị")),
                    Column(_("Điểm"), Kind.DECIMAL),
                    Column(_("Dự đoán"), Kind.DECIMAL),
                    Column(_("Thời gian làm bài"), Kind.DURATION),
                    Column(_("Nộp bài lúc"), Kind.DATETIME),
                ),
                rows=[
                    [
                        r.rank,
                        c.code,
                        c.full_name,
                        units[c.unit_code],
                        r.score,
                        r.guess,
                        r.time_used_seconds,
                        r.submitted_at,
                    ]
                    for c, r in results
                ],
            )
        )
    if data.teams:
        tables.append(
            Table(
                name="xep-hang-doi",
                title=_("Xếp hạng đội"),
                columns=(
                    Column(_("Hạng"), Kind.INTEGER),
                    Column(_("Mã đội")),
                    Column(_("Tên đội")),
                    Column(_("Đơn vị")),
                    Column(_("Số thành viên"), Kind.INTEGER),
                    Column(_("Điểm"), Kind.DECIMAL),
                    Column(_("Giải")),
                ),
                rows=[
                    [
                        t.rank,
                        t.code,
                        t.name,
                        units[t.unit_code],
                        len(t.member_codes),
                        t.score,
                        _prize_label(t.prize),
                    ]
                    for t in _ranked(data.teams)
                ],
            )
        )
    if data.units:
        tables.append(
            Table(
                name="xep-hang-don-vi",
                title=_("Xếp hạng đơn vị"),
                columns=(
                    Column(_("Hạng"), Kind.INTEGER),
                    Column(_("Mã đơn vị")),
                    Column(_("Tên đơn vị")),
                    Column(_("Cụm")),
                    Column(_("Số dự kiến"), Kind.INTEGER),
                    Column(_("Số tham gia"), Kind.INTEGER),
                    Column(_("Tỷ lệ tham gia (%)"), Kind.DECIMAL),
                    Column(_("Điểm giải"), Kind.DECIMAL),
                    Column(_("Tổng điểm"), Kind.DECIMAL),
                ),
                rows=[
                    [
                        u.rank,
                        u.code,
                        u.name,
                        u.cluster,
                        u.expected_headcount,
                        u.took_part,
                        u.participation_rate,
                        u.prize_points,
                        u.score,
                    ]
                    for u in _ranked(data.units)
                ],
            )
        )
    return tables


def item_analysis_table(stats: Sequence[ItemStats], *, question_labels: Mapping[Hashable, str]) -> Table:
    """The item analysis sheet: one row per question, options summarised as
    "A*: 40 (giỏi 12 / yếu 3)", the key starred, and the flags spelled out for the judges."""

    def option_text(option: OptionCount) -> str:
        star = "*" if option.is_key else ""
        return _("%(option)s%(star)s: %(overall)d (giỏi %(upper)d / yếu %(lower)d)") % {
            "option": option.option,
            "star": star,
            "overall": option.overall,
            "upper": option.upper,
            "lower": option.lower,
        }

    return Table(
        name="phan-tich-cau-hoi",
        title=_("Phân tích câu hỏi"),
        columns=(
            Column(_("Câu hỏi")),
            Column(_("Số lượt trả lời"), Kind.INTEGER),
            Column(_("Độ khó (% điểm)"), Kind.DECIMAL),
            Column(_("Tỷ lệ đúng hoàn toàn (%)"), Kind.DECIMAL),
            Column(_("Độ phân biệt"), Kind.DECIMAL),
            Column(_("Cỡ nhóm giỏi/yếu"), Kind.INTEGER),
            Column(_("Các phương án (* là đáp án)"), width=60),
            Column(_("Bỏ trống"), Kind.INTEGER),
            Column(_("Cảnh báo"), width=60),
        ),
        rows=[
            [
                question_labels[item.question_id],
                item.responses,
                item.facility,
                item.correct_rate,
                item.discrimination,
                item.group_size,
                "; ".join(option_text(option) for option in item.options) or None,
                item.blank.overall,
                " ".join(sorted(flag.label for flag in item.flags)) or None,
            ]
            for item in stats
        ],
    )
