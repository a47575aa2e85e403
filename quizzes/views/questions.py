"""Creating and editing questions of every type, with a live preview drawn by the same
partial a contestant's page uses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import filing, selectors, services
from ..forms import QuestionForm, definition_initial, initial_from_post, read_definition
from ..html import html_to_text
from ..models import Category
from ..rendering import public_question
from .access import access_bank, access_question

NAME_LENGTH = 80


def _read(request, bank):
    """(form, content, errors) from a POST: the common fields, the type's definition and
    every problem found, using the same rules as saving (``services.check_question``)."""
    form = QuestionForm(request.POST, categories=selectors.list_categories(bank=bank))
    if not form.is_valid():
        errors = [f"{form.fields[field].label}: {' '.join(msgs)}" for field, msgs in form.errors.items()]
        return form, None, errors
    data = form.cleaned_data
    qtype = data["qtype"]
    definition, errors = read_definition(qtype, request.POST)
    name = data["name"].strip() or _excerpt(html_to_text(data["stem_html"])) or _("Câu hỏi không tên")
    content = services.QuestionContent(
        qtype=qtype,
        name=name,
        stem_html=data["stem_html"],
        definition=definition,
        general_feedback_html=data["general_feedback_html"],
        default_points=data["default_points"],
    )
    errors += services.check_question(
        qtype=qtype,
        name=name,
        stem_html=content.stem_html,
        definition=definition,
        default_points=content.default_points,
    )
    return form, content, errors


def _excerpt(text: str) -> str:
    return text if len(text) <= NAME_LENGTH else text[: NAME_LENGTH - 1].rstrip() + "…"


def _category(form, bank):
    path = form.category_path()
    if path:
        return filing.ensure_category(bank=bank, path=path)
    chosen = form.cleaned_data.get("category")
    return Category.objects.filter(bank=bank, pk=chosen).first() if chosen else None


def _page(request, bank, form, values, question=None, errors=(), status=200):
    return render(
        request,
        "quizzes/question_form.html",
        {
            "bank": bank,
            "edition": bank.edition,
            "form": form,
            "values": values,
            "question": question,
            "errors": errors,
        },
        status=status,
    )


@login_required
def question_create(request, bank_id):
    bank = access_bank(request, bank_id)
    categories = selectors.list_categories(bank=bank)
    if request.method != "POST":
        qtype = request.GET.get("loai", "single")
        form = QuestionForm(initial={"qtype": qtype}, categories=categories)
        return _page(request, bank, form, definition_initial(qtype, {}))
    form, content, errors = _read(request, bank)
    if errors:
        return _page(request, bank, form, initial_from_post(request.POST), errors=errors, status=400)
    question = services.create_question(
        bank=bank,
        content=content,
        category=_category(form, bank),
        tags=form.tag_names(),
        idnumber=form.cleaned_data["idnumber"],
        actor=request.user,
    )
    duplicates = selectors.find_duplicates(
        bank=bank, stem_html=question.current_version.stem_html, exclude_id=question.pk
    )
    if duplicates:
        messages.warning(
            request,
            _("Câu hỏi đã được lưu, nhưng có thể trùng với: %(list)s.")
            % {"list": ", ".join(f"#{q.pk} {q}" for q in duplicates[:5])},
        )
    else:
        messages.success(request, _("Đã lưu câu hỏi."))
    if "save_add" in request.POST:
        return redirect(f"{request.path}?loai={question.qtype}")
    return redirect("quizzes:bank_detail", bank.pk)


@login_required
def question_edit(request, bank_id, question_id):
    bank = access_bank(request, bank_id)
    question = access_question(request, bank, question_id)
    version = question.current_version
    categories = selectors.list_categories(bank=bank)
    if request.method != "POST":
        form = QuestionForm(
            initial={
                "qtype": version.qtype,
                "name": version.name,
                "stem_html": version.stem_html,
                "general_feedback_html": version.general_feedback_html,
                "default_points": version.default_points,
                "category": question.category_id,
                "tags": ", ".join(question.tags.values_list("name", flat=True)),
                "idnumber": question.idnumber,
            },
            categories=categories,
        )
        return _page(request, bank, form, definition_initial(version.qtype, version.definition), question)
    form, content, errors = _read(request, bank)
    if errors:
        return _page(request, bank, form, initial_from_post(request.POST), question, errors, status=400)
    new_version = services.update_question(question=question, content=content, actor=request.user)
    filing.file_question(
        question=question,
        category=_category(form, bank),
        tag_names=form.tag_names(),
        idnumber=form.cleaned_data["idnumber"],
        actor=request.user,
    )
    if new_version.pk != version.pk:
        messages.success(
            request,
            _("Đã lưu thành phiên bản %(n)d: phiên bản cũ đang được dùng trong vòng thi nên được giữ nguyên.")
            % {"n": new_version.number},
        )
    else:
        messages.success(request, _("Đã lưu câu hỏi."))
    return redirect("quizzes:bank_detail", bank.pk)


@login_required
@require_POST
def question_preview(request, bank_id):
    """The live preview: the posted form drawn as a contestant sees it, or its errors, plus
    possible duplicates. Writes nothing."""
    bank = access_bank(request, bank_id)
    form, content, errors = _read(request, bank)
    context = {"errors": errors, "bank": bank}
    if content is not None and not errors:
        context["q"] = public_question(
            qtype=content.qtype,
            stem_html=content.stem_html,
            definition=content.definition,
            bank_id=bank.pk,
            slot="preview",
            number=1,
            points=content.default_points,
        )
    if content is not None and html_to_text(content.stem_html):
        exclude = request.POST.get("question_id", "")
        context["duplicates"] = list(
            selectors.find_duplicates(
                bank=bank, stem_html=content.stem_html, exclude_id=int(exclude) if exclude.isdigit() else None
            )[:5]
        )
    return render(request, "quizzes/_preview.html", context)
