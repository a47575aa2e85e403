from decimal import Decimal

import pytest

from contest.marking import (
    Criterion,
    DoubleMark,
    PanelMethod,
    SettleMethod,
    double_mark,
    panel_score,
    rubric_total,
)

D = Decimal
RUBRIC = [
    Criterion("content", "Nội dung", D(6)),
    Criterion("form", "Hình thức", D(2)),
    Criterion("time", "Thời gian", D(2)),
]


def test_a_rubric_mark_is_the_sum_of_its_criteria():
    assert rubric_total(RUBRIC, {"content": D("5.5"), "form": D(2), "time": D(0)}) == D("7.50")


@pytest.mark.parametrize(
    ("awarded", "message"),
    [
        ({"content": D(5), "form": D(2)}, "Chưa chấm tiêu chí “Thời gian”"),
        ({"content": D(7), "form": D(2), "time": D(1)}, "“Nội dung”: điểm 7 nằm ngoài khoảng 0–6"),
        ({"content": D(-1), "form": D(2), "time": D(1)}, "nằm ngoài khoảng"),
        ({"content": D(1), "form": D(1), "time": D(1), "bonus": D(1)}, "không có trong thang điểm: bonus"),
    ],
)
def test_a_rubric_mark_refuses_missing_out_of_range_or_unknown_lines(awarded, message):
    with pytest.raises(ValueError, match=message):
        rubric_total(RUBRIC, awarded)


@pytest.mark.parametrize(
    ("first", "second", "third", "settle", "expected"),
    [
        ("7", "8", None, SettleMethod.THIRD_DECIDES, DoubleMark(D(1), False, D("7.50"))),
        (
            "7",
            "8.5",
            None,
            SettleMethod.THIRD_DECIDES,
            DoubleMark(D("1.5"), False, D("7.75")),
        ),  # at the threshold
        ("5", "8", None, SettleMethod.THIRD_DECIDES, DoubleMark(D(3), True, None)),
        ("5", "8", "7", SettleMethod.THIRD_DECIDES, DoubleMark(D(3), True, D("7.00"))),
        ("5", "8", "7", SettleMethod.MEAN_WITH_CLOSEST, DoubleMark(D(3), True, D("7.50"))),
        ("5", "9", "7", SettleMethod.MEAN_WITH_CLOSEST, DoubleMark(D(4), True, D("6.00"))),  # tie: the lower
    ],
)
def test_double_marking_agrees_within_the_threshold_and_a_third_judge_settles_beyond(
    first, second, third, settle, expected
):
    result = double_mark(
        D(first), D(second), threshold=D("1.5"), third=None if third is None else D(third), settle=settle
    )
    assert result == expected


@pytest.mark.parametrize(
    ("marks", "method", "expected"),
    [
        (["8", "9", "7"], PanelMethod.MEAN, "8.00"),
        (["8", "9", "7", "9"], PanelMethod.MEAN, "8.25"),
        (["8", "9", "2"], PanelMethod.MEDIAN, "8.00"),
        (["8", "9", "2", "7"], PanelMethod.MEDIAN, "7.50"),
        (["8", "9", "2", "10"], PanelMethod.TRIMMED_MEAN, "8.50"),  # 2 and 10 dropped
        (["8", "8", "8"], PanelMethod.TRIMMED_MEAN, "8.00"),
        (["7"], PanelMethod.MEAN, "7.00"),
    ],
)
def test_panel_scores_aggregate_the_judges_marks(marks, method, expected):
    assert panel_score([D(m) for m in marks], method) == D(expected)


def test_a_trimmed_mean_needs_three_judges_and_any_panel_needs_one():
    with pytest.raises(ValueError, match="ít nhất 3 giám khảo"):
        panel_score([D(1), D(2)], PanelMethod.TRIMMED_MEAN)
    with pytest.raises(ValueError, match="Chưa có giám khảo"):
        panel_score([], PanelMethod.MEDIAN)
