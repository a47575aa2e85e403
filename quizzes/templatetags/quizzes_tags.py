"""Template filters for question content."""

from django import template

from ..rendering import render_html

register = template.Library()


@register.filter
def question_html(html: str, bank_id: int):
    """``{{ version.stem_html|question_html:bank.pk }}``: sanitised, images authorised."""
    return render_html(html, bank_id)
