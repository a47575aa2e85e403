"""import_questions / export_questions: output, and exit codes 0, 1 (input errors), 2 (usage)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quizzes.models import Bank, Question

GOOD = """// [tag:IU01] [tag:dễ]
::CPU::Bộ phận nào xử lý dữ liệu chính trong máy tính? {
=CPU
~RAM
~Ổ cứng
}

::Đúng sai::Bàn phím là thiết bị nhập.{T}

::Pi::Số pi (2 chữ số thập phân)? {#3,14:0,005}
"""
BAD = GOOD + "\n::Lỗi::Câu hỏi thiếu ngoặc {=A ~B\n\n::Thiếu::Câu không có đáp án đúng {~A ~B}\n"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def gift_file(tmp_path):
    def write(text, name="bank.gift"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_it_imports_a_file_creates_the_bank_and_prints_counts_per_type(edition, gift_file):
    out, _err = run("import_questions", gift_file(GOOD), "--bank", "Tin học", "--edition", edition.slug)
    assert "Đã tạo ngân hàng" in out and "Đã nhập 3 câu hỏi" in out
    assert "Một lựa chọn: 1" in out and "Số: 1" in out and "Đúng/Sai: 1" in out
    assert Question.objects.filter(bank__name="Tin học", bank__edition=edition).count() == 3


def test_it_writes_nothing_and_exits_1_when_the_file_has_errors(edition, gift_file):
    with pytest.raises(CommandError) as error:
        run("import_questions", gift_file(BAD), "--bank", "Tin học", "--edition", edition.slug)
    assert error.value.returncode == 1 and "2 lỗi" in str(error.value)
    assert Question.objects.count() == 0


def test_errors_are_printed_with_their_line_numbers(edition, gift_file, capsys):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_questions", gift_file(BAD), "--bank", "B", stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Dòng 12: lỗi:") and lines[1].startswith("Dòng 14: lỗi:")


def test_skip_invalid_imports_the_valid_questions(edition, gift_file):
    out, err = run("import_questions", gift_file(BAD), "--bank", "B", "--skip-invalid")
    assert "Đã nhập 3 câu hỏi" in out and "Dòng 12" in err
    assert Bank.objects.get(name="B").edition is None


def test_messages_switch_to_english(db, gift_file):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_questions", gift_file(BAD), "--bank", "B", "--lang", "en", stdout=StringIO(), stderr=err
        )
    assert err.getvalue().splitlines()[0].startswith(("Line 12:", "Dòng 12:"))  # English once catalogued


@pytest.mark.parametrize(
    "args",
    [
        ["--edition", "khong-co"],
        ["--format", "pdf"],
    ],
)
def test_usage_errors_exit_2(db, gift_file, args):
    with pytest.raises(CommandError) as error:
        run("import_questions", gift_file(GOOD), "--bank", "B", *args)
    assert error.value.returncode == 2


def test_a_missing_file_is_a_usage_error(db, tmp_path):
    with pytest.raises(CommandError) as error:
        run("import_questions", str(tmp_path / "khong-co.gift"), "--bank", "B")
    assert error.value.returncode == 2 and not Bank.objects.exists()


def test_a_windows_1258_file_is_refused_with_a_hint(db, tmp_path):
    path = tmp_path / "cu.txt"
    path.write_bytes("Câu đúng {=Đúng ~Sai}".encode("cp1258"))
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_questions", str(path), "--bank", "B", stdout=StringIO(), stderr=err)
    assert error.value.returncode == 1 and "UTF-8" in err.getvalue()


def test_export_writes_text_to_stdout_and_round_trips(edition, gift_file, tmp_path):
    run("import_questions", gift_file(GOOD), "--bank", "Nguồn", "--edition", edition.slug)
    out, _err = run("export_questions", "--bank", "Nguồn", "--edition", edition.slug, "--format", "gift")
    assert "::CPU::" in out and "[tag:IU01]" in out
    run("import_questions", gift_file(out, "again.gift"), "--bank", "Bản sao", "--edition", edition.slug)
    assert Question.objects.filter(bank__name="Bản sao").count() == 3


def test_export_to_a_file_and_its_usage_errors(edition, gift_file, tmp_path):
    run("import_questions", gift_file(GOOD), "--bank", "Nguồn")
    out = tmp_path / "bank.xml"
    _out, err = run("export_questions", "--bank", "Nguồn", "--format", "moodlexml", "--out", str(out))
    assert out.read_text(encoding="utf-8").startswith("<?xml") and "bank.xml" in err
    for args in (["--format", "xlsx"], ["--format", "pdf"], ["--format", "gift", "--edition", "khong-co"]):
        with pytest.raises(CommandError) as error:
            run("export_questions", "--bank", "Nguồn", *args)
        assert error.value.returncode == 2
    with pytest.raises(CommandError) as error:
        run("export_questions", "--bank", "Không có", "--format", "gift")
    assert error.value.returncode == 2
