"""Question-type strategies by name. ``quizzes.question_types`` is the public facade."""

from .arrange import Matching, Ordering
from .base import Grade, QuestionTypeStrategy, ResponseError
from .choice import MultipleChoice, SingleChoice, TrueFalse
from .manual import Description, Essay, FileUpload
from .text import Numeric, ShortAnswer

REGISTRY: dict[str, QuestionTypeStrategy] = {
    strategy.name: strategy
    for strategy in (
        SingleChoice(),
        MultipleChoice(),
        TrueFalse(),
        ShortAnswer(),
        Numeric(),
        Ordering(),
        Matching(),
        Essay(),
        FileUpload(),
        Description(),
    )
}

__all__ = ["REGISTRY", "Grade", "QuestionTypeStrategy", "ResponseError"]
