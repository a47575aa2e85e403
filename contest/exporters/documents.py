"""From :class:`~contest.exporters.results.ResultsData` to the printable documents' inputs. Pure.

The prize list and the certificates are made from the same results data as every other export,
so a prize printed on a certificate is the prize in the JSON and the workbook.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _

from contest.exporters.pdf import Certificate, PrizeSection, Signatory
from contest.exporters.results import ResultsData
from contest.exporters.tables import Column, Kind, Table
from contest.prizes import PRIZE_ORDER
from contest.vietnamese import name_sort_key, text_sort_key


def prize_sections(data: ResultsData, *, teams: bool = False) -> list[PrizeSection]:
    """One section per prize level that has winners, winners by rank then name."""
    data.check()
    units = {u.code: u.name for u in data.units}
    sections = []
    for level in PRIZE_ORDER:
        if teams:
            winners = sorted(
                (t for t in data.teams if t.prize is level),
                key=lambda t: (t.rank or 0, text_sort_key(t.name)),
            )
            columns = (
                Column(_("STT"), Kind.INTEGER),
                Column(_("Tên đội")),
                Column(_("Đơn vị")),
                Column(_("Điểm"), Kind.DECIMAL),
            )
            rows = [[n, t.name, units[t.unit_code], t.score] for n, t in enumerate(winners, start=1)]
        else:
            winners = sorted(
                (c for c in data.contestants if c.prize is level),
                key=lambda c: (c.rank or 0, name_sort_key(c.full_name)),
            )
            columns = (
                Column(_("STT"), Kind.INTEGER),
                Column(_("Số báo danh")),
                Column(_("Họ và tên")),
                Column(_("Đơn vị")),
                Column(_("Điểm"), Kind.DECIMAL),
            )
            rows = [
                [n, c.code, c.full_name, units[c.unit_code], c.score] for n, c in enumerate(winners, start=1)
            ]
        if rows:
            sections.append(
                PrizeSection(
                    level.label,
                    Table(name=f"giai-{level.value}", title=level.label, columns=columns, rows=rows),
                )
            )
    return sections


def certificates(
    data: ResultsData,
    *,
    issuer: str,
    signatory: Signatory,
    issued_on: date,
    verification_url: Callable[[str], str],
    serial: Callable[[str], str] = str,
    unit_code: str | None = None,
    place: str = "Hà Nội",
) -> list[Certificate]:
    """Certificates for every prize winner, people then teams, optionally for one unit only.

    Ordered by unit, prize level and Vietnamese name order, so a unit's certificates come out
    together, as they are handed over. ``verification_url`` and ``serial`` map a contestant or
    team code to its public verification link and the number printed beside the QR code.
    """
    data.check()
    units = {u.code: u.name for u in data.units}
    people = [c for c in data.contestants if c.prize is not None and unit_code in (None, c.unit_code)]
    people.sort(
        key=lambda c: (
            text_sort_key(units[c.unit_code]),
            PRIZE_ORDER.index(c.prize),
            name_sort_key(c.full_name),
        )
    )
    teams = [t for t in data.teams if t.prize is not None and unit_code in (None, t.unit_code)]
    teams.sort(
        key=lambda t: (text_sort_key(units[t.unit_code]), PRIZE_ORDER.index(t.prize), text_sort_key(t.name))
    )

    def make(label: str, code: str, recipient: str, unit: str, prize) -> Certificate:
        return Certificate(
            recipient_label=label,
            recipient=recipient,
            unit=unit,
            prize=prize.label,
            edition=data.edition.name,
            issuer=issuer,
            issued_on=issued_on,
            signatory=signatory,
            verification_url=verification_url(code),
            serial=serial(code),
            place=place,
        )

    return [make(_("Ông/Bà"), c.code, c.full_name, units[c.unit_code], c.prize) for c in people] + [
        make(_("Đội thi"), t.code, t.name, units[t.unit_code], t.prize) for t in teams
    ]
