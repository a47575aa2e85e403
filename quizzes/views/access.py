"""Fetching what a request names, with the permission check (404 before 403 never leaks
more than the id the user typed)."""

from django.shortcuts import get_object_or_404

from contest import permissions
from contest.models import Edition

from ..models import Bank, Question


def access_edition_banks(request, slug) -> Edition:
    """The edition whose banks the organiser manages; 403 for anyone else."""
    edition = get_object_or_404(Edition, slug=slug)
    permissions.require(permissions.is_organiser(request.user, edition))
    return edition


def access_bank(request, bank_id) -> Bank:
    bank = get_object_or_404(Bank.objects.select_related("edition"), pk=bank_id)
    permissions.require(permissions.can_manage_bank(request.user, bank))
    return bank


def access_question(request, bank: Bank, question_id) -> Question:
    return get_object_or_404(
        Question.objects.select_related("current_version", "category"), pk=question_id, bank=bank
    )
