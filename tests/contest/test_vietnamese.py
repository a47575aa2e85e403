import pytest

from contest.vietnamese import fold, name_sort_key, sorted_by_name, text_sort_key


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("A", "Ă"),
        ("Ă", "Â"),
        ("Â", "B"),
        ("D", "Đ"),
        ("Đ", "E"),
        ("E", "Ê"),
        ("O", "Ô"),
        ("Ô", "Ơ"),
        ("Ơ", "P"),
        ("U", "Ư"),
        ("Ư", "V"),
        ("a", "à"),
        ("à", "ả"),
        ("ả", "ã"),
        ("ã", "á"),
        ("á", "ạ"),
        ("ạ", "ă"),
        ("Anh", "Ánh"),
        ("Ánh", "Ăn"),
        ("Dung", "Đông"),
    ],
)
def test_letters_follow_the_vietnamese_alphabet_with_tones_second(before, after):
    assert text_sort_key(before) < text_sort_key(after)


def test_names_sort_by_given_name_then_family_and_middle_names():
    names = ["Trần Văn Bình", "Nguyễn Thị Anh", "Lê Văn Bình", "Phạm Đức", "Đỗ Dũng", "Vũ Thị Ánh"]
    assert sorted_by_name(names) == [
        "Nguyễn Thị Anh",
        "Vũ Thị Ánh",
        "Lê Văn Bình",
        "Trần Văn Bình",
        "Đỗ Dũng",
        "Phạm Đức",
    ]


def test_decomposed_and_composed_names_sort_together():
    composed = "Nguyễn Văn Ánh"
    decomposed = "Nguye\u0302\u0303n Va\u0306n A\u0301nh"
    assert name_sort_key(composed)[:2] == name_sort_key(decomposed)[:2]


def test_sorting_objects_by_a_name_attribute():
    people = [{"n": "Bùi Ba"}, {"n": "An Ân"}]
    assert sorted_by_name(people, key=lambda p: p["n"]) == [{"n": "An Ân"}, {"n": "Bùi Ba"}]


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Tin Học", "tin hoc"), ("ĐOÀN", "doan"), ("Công đoàn cơ sở", "cong doan co so"), ("", "")],
)
def test_fold_removes_case_and_every_diacritic(text, folded):
    assert fold(text) == folded
