"""Bank list of an edition, one bank's question list with filters, and bulk actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import filing, selectors
from ..forms import split_list
from ..models import Category, QuestionType, Tag
from ..services import QuestionInvalid
from .access import access_bank, access_edition_banks

PAGE_SIZE = 50


@login_required
def bank_list(request, slug):
    """GET: the edition's banks (and shared ones). POST: create a bank in the edition."""
    edition = access_edition_banks(request, slug)
    if request.method == "POST":
        try:
            bank = filing.create_bank(
                edition=edition,
                name=request.POST.get("name", ""),
                description=request.POST.get("description", ""),
                actor=request.user,
            )
        except QuestionInvalid as exc:
            for error in exc.errors:
                messages.error(request, error)
        else:
            messages.success(request, _("Đã tạo ngân hàng “%(name)s”.") % {"name": bank.name})
            return redirect("quizzes:bank_detail", bank.pk)
    return render(
        request,
        "quizzes/bank_list.html",
        {"edition": edition, "banks": selectors.list_banks(edition=edition).select_related("edition")},
    )


def _filters(request, bank) -> dict:
    """The list filters from the query string; unknown ids are ignored, not errors."""
    params = request.GET
    category_id = params.get("danh_muc", "")
    category = (
        Category.objects.filter(bank=bank, pk=int(category_id)).first() if category_id.isdigit() else None
    )
    tag_names = {name for name in (params.get("nhan"), params.get("do_kho")) if name}
    tags = list(Tag.objects.filter(name__in=tag_names)) if tag_names else []
    qtype = params.get("loai", "")
    return {
        "search": params.get("q", "").strip(),
        "category": category,
        "tags": tags,
        "qtype": qtype if qtype in QuestionType.values else "",
        "unknown_tag": len(tags) != len(tag_names),
    }


@login_required
def bank_detail(request, bank_id):
    bank = access_bank(request, bank_id)
    filters = _filters(request, bank)
    unknown_tag = filters.pop("unknown_tag")
    questions = selectors.list_questions(bank=bank, **filters)
    if unknown_tag:
        questions = questions.none()
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    bank_tags = Tag.objects.filter(questions__bank=bank).distinct().order_by("kind", "name")
    return render(
        request,
        "quizzes/bank_detail.html",
        {
            "bank": bank,
            "edition": bank.edition,
            "page": page,
            "query": query.urlencode(),
            "params": request.GET,
            "categories": selectors.list_categories(bank=bank),
            "tags": [t for t in bank_tags if t.kind != Tag.Kind.DIFFICULTY],
            "difficulties": [t for t in bank_tags if t.kind == Tag.Kind.DIFFICULTY],
            "qtypes": QuestionType.choices,
            "filtered": any(filters.values()) or unknown_tag,
        },
    )


@login_required
@require_POST
def bulk_action(request, bank_id):
    """Tag, untag or move the ticked questions; back to the list with the same filters."""
    bank = access_bank(request, bank_id)
    ids = request.POST.getlist("question")
    action = request.POST.get("action")
    try:
        if action == "tag":
            count = filing.tag_questions(
                bank=bank,
                question_ids=ids,
                add=split_list(request.POST.get("add_tags", "")),
                remove=split_list(request.POST.get("remove_tags", "")),
                actor=request.user,
            )
            messages.success(request, _("Đã cập nhật nhãn cho %(n)d câu hỏi.") % {"n": count})
        elif action == "move":
            category = _target_category(request, bank)
            count = filing.move_questions(bank=bank, question_ids=ids, category=category, actor=request.user)
            messages.success(request, _("Đã chuyển %(n)d câu hỏi.") % {"n": count})
        else:
            messages.error(request, _("Hãy chọn một thao tác."))
    except (QuestionInvalid, ValueError) as exc:
        for error in getattr(exc, "errors", [_("Dữ liệu gửi lên không hợp lệ.")]):
            messages.error(request, error)
    url = reverse("quizzes:bank_detail", args=[bank.pk])
    back = request.POST.get("back", "")  # the list's query string: same filters and page
    return redirect(f"{url}?{back}" if back else url)


def _target_category(request, bank):
    path = [part.strip() for part in request.POST.get("new_category", "").split("/") if part.strip()]
    if path:
        return filing.ensure_category(bank=bank, path=path)
    chosen = request.POST.get("category", "")
    if not chosen.isdigit():
        return None
    category = Category.objects.filter(bank=bank, pk=int(chosen)).first()
    if category is None:
        raise QuestionInvalid([_("Danh mục không thuộc ngân hàng này.")])
    return category
