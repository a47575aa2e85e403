"""Selectors behind the units, contestants and teams pages: order, scope, bounded queries."""

import pytest

from contest import selectors
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(edition):
    city = factories.make_unit(edition=edition, code="TP", name="LĐLĐ Thành phố")
    district = factories.make_unit(edition=edition, code="QBD", name="LĐLĐ Ba Đình", parent=city)
    school = factories.make_unit(edition=edition, code="BD01", name="CĐCS Trường A", parent=district)
    other = factories.make_unit(edition=edition, code="QHK", name="LĐLĐ Hoàn Kiếm", parent=city)
    return {"city": city, "district": district, "school": school, "other": other}


def test_units_come_in_tree_order_with_depth(tree):
    rows = selectors.list_units_tree(tree["city"].edition, {unit.pk for unit in tree.values()})
    assert [(unit.code, depth) for unit, depth in rows] == [("TP", 0), ("QBD", 1), ("BD01", 2), ("QHK", 1)]


def test_a_coordinators_subtree_starts_at_their_unit(tree):
    rows = selectors.list_units_tree(tree["city"].edition, {tree["district"].pk, tree["school"].pk})
    assert [(unit.code, depth) for unit, depth in rows] == [("QBD", 0), ("BD01", 1)]


def test_contestants_are_in_vietnamese_name_order_with_bounded_queries(
    edition, tree, django_assert_max_num_queries
):
    for name in ["Trần Văn Ẩn", "Lê Thị Ánh", "Nguyễn Văn Anh", "Đỗ Thị Bình", "Phạm Văn Ân"]:
        factories.make_contestant(edition=edition, unit=tree["school"], full_name=name)
    with django_assert_max_num_queries(1):
        names = [r.person.full_name for r in selectors.list_registrations(edition, {tree["school"].pk})]
        [r.unit.code for r in selectors.list_registrations(edition, set())]
    assert names == ["Nguyễn Văn Anh", "Lê Thị Ánh", "Phạm Văn Ân", "Trần Văn Ẩn", "Đỗ Thị Bình"]


def test_teams_list_members_in_name_order_with_bounded_queries(edition, tree, django_assert_max_num_queries):
    team = factories.make_team(edition=edition, unit=tree["district"])
    for name in ["Vũ Thị Yến", "Hồ Văn An"]:
        factories.make_contestant(edition=edition, unit=tree["district"], full_name=name, team=team)
    factories.make_team(edition=edition, unit=tree["other"])
    with django_assert_max_num_queries(2):
        teams = selectors.list_teams(edition, {tree["district"].pk})
        members = [[m.person.full_name for m in t.sorted_members] for t in teams]
    assert members == [["Hồ Văn An", "Vũ Thị Yến"]]
