"""Every write about scores and boards: board settings, the prediction's truth, the freeze, the
reveal, advancement to the next round, edition scoring rules and prize tie decisions.

Each organiser action runs in one transaction, writes exactly one audit row
(``contest.audit.record``) and, where a board could change, publishes ``board.hint`` to the
round's control group after commit (boards then recompute; see ``contest.board_hub``).
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from contest import audit, boards, events
from contest import scoring_selectors as scores
from contest.models import EditionScoring, PrizeDecision, Registration, Round, RoundBoard
from contest.prizes import PrizeLevel, TieDecision, check_quotas
from contest.ranking import check_chain
from contest.services.errors import Invalid, NotAllowed
from contest.team_scores import TeamMethod, TeamScoreRule


def _hint(round_id: int) -> None:
    events.publish_on_commit(events.control_group(round_id), {"type": events.BOARD_HINT})


def _locked_board(round_: Round) -> RoundBoard:
    RoundBoard.objects.get_or_create(round=round_)
    return RoundBoard.objects.select_for_update().select_related("round").get(round=round_)


def _settings(board: RoundBoard) -> dict:
    return {
        "visibility": board.visibility,
        "freeze_minutes": board.freeze_minutes,
        "weight": str(board.weight),
        "tie_break_chain": list(board.tie_break_chain),
    }


def _record(action, *, actor, edition_id, obj, before=None, after=None, reason="", ip=None, now=None):
    audit.record(
        action=action,
        actor=actor,
        actor_role="organiser",
        edition=edition_id,
        obj=obj,
        before=before,
        after=after,
        reason=reason,
        ip=ip,
        now=now,
    )


def _decimal(value, message) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise Invalid(message) from None
    if not number.is_finite():
        raise Invalid(message)
    return number


@transaction.atomic
def configure_board(
    *, round_: Round, visibility: str, freeze_minutes: int, weight, chain, actor, now, ip=None
) -> RoundBoard:
    """Who sees the board, the freeze, the round's weight and tie-break chain. Audited
    (``board.configured``); emits ``board.hint``."""
    if visibility not in RoundBoard.Visibility.values:
        raise Invalid(_("Chế độ hiển thị bảng điểm không hợp lệ."))
    if not 0 <= int(freeze_minutes) <= 600:
        raise Invalid(_("Số phút đóng băng phải từ 0 đến 600."))
    weight = _decimal(weight, _("Trọng số phải là một số."))
    if weight < 0:
        raise Invalid(_("Trọng số của vòng thi không được âm."))
    try:
        chain = [step.value for step in check_chain(chain)]
    except ValueError as error:
        raise Invalid(str(error)) from None
    board = _locked_board(round_)
    before = _settings(board)
    board.visibility, board.freeze_minutes, board.weight = visibility, int(freeze_minutes), weight
    board.tie_break_chain = chain
    board.save(update_fields=["visibility", "freeze_minutes", "weight", "tie_break_chain"])
    _record(
        "board.configured", actor=actor, edition_id=round_.edition_id, obj=board, before=before,
        after=_settings(board), ip=ip, now=now,
    )  # fmt: skip
    _hint(round_.pk)
    return board


@transaction.atomic
def set_prediction_truth(*, round_: Round, truth, actor, now, ip=None, reason="") -> RoundBoard:
    """The organiser enters the prediction question's true value. Audited; emits ``board.hint``."""
    value = _decimal(truth, _("Đáp số câu dự đoán phải là một số."))
    board = _locked_board(round_)
    before = {"truth": None if board.prediction_truth is None else str(board.prediction_truth)}
    board.prediction_truth, board.truth_source = value, RoundBoard.TruthSource.ORGANISER
    board.save(update_fields=["prediction_truth", "truth_source"])
    _record(
        "board.prediction_truth_set", actor=actor, edition_id=round_.edition_id, obj=board, before=before,
        after={"truth": str(value), "source": board.truth_source}, reason=reason, ip=ip, now=now,
    )  # fmt: skip
    _hint(round_.pk)
    return board


@transaction.atomic
def compute_prediction_truth(*, round_: Round, actor, now, ip=None) -> RoundBoard:
    """After close: the truth is the number of contestants with full marks. Audited."""
    if round_.state != Round.State.CLOSED:
        raise NotAllowed(_("Chỉ tính được đáp số câu dự đoán sau khi vòng thi kết thúc."))
    board = _locked_board(round_)
    before = {"truth": None if board.prediction_truth is None else str(board.prediction_truth)}
    board.prediction_truth = Decimal(scores.perfect_score_count(round_, now=now))
    board.truth_source = RoundBoard.TruthSource.COMPUTED
    board.save(update_fields=["prediction_truth", "truth_source"])
    _record(
        "board.prediction_truth_computed", actor=actor, edition_id=round_.edition_id, obj=board,
        before=before, after={"truth": str(board.prediction_truth), "source": board.truth_source}, ip=ip, now=now,
    )  # fmt: skip
    _hint(round_.pk)
    return board


def frozen_board_rows(round_: Round, board: RoundBoard, *, now) -> dict:
    """The public board as it stood when the freeze began, in every view."""
    start = boards.freeze_starts_at(scores.board_close_at(round_), board.freeze_minutes)
    if start is None or start > now:
        return {"individual": [], "team": [], "unit": []}
    standing = scores.round_standing(round_, now=now, as_of=start, board=board)
    rule = scores.team_rule(scores.get_edition_scoring(round_.edition))
    return {
        view: scores.board_view_rows(standing, view, rule=rule) for view in ("individual", "team", "unit")
    }


def ensure_frozen(*, round_: Round, now) -> RoundBoard:
    """The frozen board for the current freeze start, stored the first time anyone needs it.

    Stored rows are valid only for the freeze start they were taken at: if the close moved
    (an extension, a pause) or the organisers changed the freeze, they are taken again. Once
    the reveal has begun they never change. Not an organiser action: no audit row. Safe to
    race: a compare-and-swap on the previous freeze start, so only the first writer stores.
    """
    board = RoundBoard.objects.get(round=round_)
    start = boards.freeze_starts_at(scores.board_close_at(round_), board.freeze_minutes)
    if board.reveal_step is not None or (board.frozen_rows is not None and board.frozen_at == start):
        return board
    rows = frozen_board_rows(round_, board, now=now)
    RoundBoard.objects.filter(pk=board.pk, frozen_at=board.frozen_at, reveal_step__isnull=True).update(
        frozen_rows=rows, frozen_at=start
    )
    return RoundBoard.objects.get(pk=board.pk)


@transaction.atomic
def start_reveal(*, round_: Round, actor, now, ip=None) -> RoundBoard:
    """After close, begin the reveal from the frozen board (step 0). Audited; ``board.hint``."""
    if round_.state != Round.State.CLOSED:
        raise NotAllowed(_("Chỉ công bố kết quả sau khi vòng thi kết thúc."))
    board = _locked_board(round_)
    if board.frozen_rows is None:
        board.frozen_rows = frozen_board_rows(round_, board, now=now)
        board.frozen_at = boards.freeze_starts_at(scores.board_close_at(round_), board.freeze_minutes)
    before = {"reveal_step": board.reveal_step}
    board.reveal_step = 0
    board.save(update_fields=["frozen_rows", "frozen_at", "reveal_step"])
    _record(
        "board.reveal_started", actor=actor, edition_id=round_.edition_id, obj=board, before=before,
        after={"reveal_step": 0}, ip=ip, now=now,
    )  # fmt: skip
    _hint(round_.pk)
    return board


@transaction.atomic
def reveal_next(*, round_: Round, actor, now, ip=None) -> RoundBoard:
    """Reveal the next row from the bottom (the last step shows the podium). Audited."""
    board = _locked_board(round_)
    if board.reveal_step is None:
        raise NotAllowed(_("Chưa bắt đầu công bố kết quả."))
    total = len(scores.round_standing(round_, now=now, board=board).rows)
    if board.reveal_step >= total:
        raise NotAllowed(_("Đã công bố hết bảng xếp hạng."))
    before = {"reveal_step": board.reveal_step}
    board.reveal_step += 1
    board.save(update_fields=["reveal_step"])
    _record(
        "board.revealed", actor=actor, edition_id=round_.edition_id, obj=board, before=before,
        after={"reveal_step": board.reveal_step, "total": total}, ip=ip, now=now,
    )  # fmt: skip
    _hint(round_.pk)
    return board


@transaction.atomic
def confirm_advancement(
    *, from_round: Round, to_round: Round, registration_ids, actor, now, ip=None, reason=""
) -> int:
    """The organiser confirms who goes on: they are registered for ``to_round`` (added to its
    entry list). Audited (``round.advancement_confirmed``, with the list). Returns the count."""
    ids = sorted({int(pk) for pk in registration_ids})
    if from_round.edition_id != to_round.edition_id or to_round.pk == from_round.pk:
        raise Invalid(_("Vòng thi tiếp theo phải là một vòng khác của cùng kỳ hội thi."))
    if to_round.is_practice:
        raise Invalid(_("Không thể chuyển thí sinh vào vòng thi thử."))
    if to_round.state == Round.State.CLOSED:
        raise NotAllowed(_("Vòng thi tiếp theo đã kết thúc."))
    found = set(
        Registration.objects.filter(edition_id=to_round.edition_id, pk__in=ids).values_list("pk", flat=True)
    )
    if not ids or found != set(ids):
        raise Invalid(_("Danh sách đi tiếp có thí sinh không thuộc kỳ hội thi này."))
    to_round.entry_registrations.add(*ids)
    audit.record(
        action="round.advancement_confirmed", actor=actor, actor_role="organiser", edition=to_round.edition_id,
        obj=to_round, before=None, after={"from_round": from_round.pk, "registrations": ids}, reason=reason,
        ip=ip, now=now,
    )  # fmt: skip
    return len(ids)


@transaction.atomic
def configure_edition_scoring(
    *, edition, team_method: str, team_best_k, individual_quotas: dict, team_quotas: dict, actor, now, ip=None
) -> EditionScoring:
    """Team rule and prize quotas for the edition. Audited (``scoring.configured``)."""
    try:
        TeamScoreRule(TeamMethod(team_method), team_best_k)
        for quotas in (individual_quotas, team_quotas):
            check_quotas(scores.quotas_from(quotas))
    except ValueError as error:
        raise Invalid(str(error)) from None
    scoring, _created = EditionScoring.objects.select_for_update().get_or_create(edition=edition)
    before = {
        "team_method": scoring.team_method,
        "team_best_k": scoring.team_best_k,
        "individual_quotas": scoring.individual_quotas,
        "team_quotas": scoring.team_quotas,
    }
    scoring.team_method, scoring.team_best_k = team_method, team_best_k
    scoring.individual_quotas, scoring.team_quotas = individual_quotas, team_quotas
    scoring.save()
    _record(
        "scoring.configured", actor=actor, edition_id=edition.pk, obj=scoring, before=before,
        after={**before, "team_method": team_method, "team_best_k": team_best_k,
               "individual_quotas": individual_quotas, "team_quotas": team_quotas}, ip=ip, now=now,
    )  # fmt: skip
    return scoring


@transaction.atomic
def decide_prize_tie(*, edition, scope: str, level: str, tied, awarded, actor, now, reason="", ip=None):
    """The organisers decide a tie across a quota boundary: who of ``tied`` gets ``level``.
    Never applied silently: the decision is stored, audited (``prize.tie_decided``) and the
    assignment re-run with it. A reason is required."""
    if scope not in PrizeDecision.Scope.values:
        raise Invalid(_("Loại giải không hợp lệ."))
    if not reason.strip():
        raise Invalid(_("Cần ghi lý do cho quyết định."))
    decision = TieDecision(PrizeLevel(level), frozenset(tied), frozenset(awarded))
    if not decision.awarded <= decision.tied:
        raise Invalid(_("Chỉ được trao giải cho người nằm trong nhóm đồng hạng."))
    row = PrizeDecision.objects.create(
        edition=edition, scope=scope, level=level, tied=sorted(tied), awarded=sorted(awarded), reason=reason,
        decided_by_id=getattr(actor, "pk", None), decided_at=now,
    )  # fmt: skip
    _record(
        "prize.tie_decided", actor=actor, edition_id=edition.pk, obj=row, before=None,
        after={"scope": scope, "level": level, "tied": row.tied, "awarded": row.awarded}, reason=reason,
        ip=ip, now=now,
    )  # fmt: skip
    return row
