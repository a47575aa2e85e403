"""Plausible responses for each question type, built from the public question a contestant's
browser receives (shapes: quizzes/question_types.py). Pure: the load generator imports no
Django."""

import random

SHORT_TEXTS = ["Hà Nội", "Ctrl+S", "Microsoft Excel", "công đoàn cơ sở", "Tôi chưa rõ"]
ESSAY_TEXT = (
    "Công đoàn cơ sở cần ứng dụng công nghệ thông tin để quản lý đoàn viên, "
    "tổ chức họp trực tuyến và lưu trữ văn bản an toàn."
)


def answerable(question: dict) -> bool:
    """Questions a simulated contestant answers over the socket (files need an upload)."""
    return question.get("qtype") not in ("description", "file")


def make(question: dict, rng: random.Random) -> dict:
    qtype = question.get("qtype", "single")
    definition = question.get("definition") or {}
    if qtype == "single":
        options = definition.get("options") or [{"id": "a"}]
        return {"choice": rng.choice(options)["id"]}
    if qtype == "multiple":
        ids = [option["id"] for option in definition.get("options", [])]
        picked = [i for i in ids if rng.random() < 0.5] or ids[:1]
        return {"choices": picked}
    if qtype == "truefalse":
        return {"value": rng.random() < 0.6}
    if qtype == "short":
        return {"text": rng.choice(SHORT_TEXTS)}
    if qtype == "numeric":
        return {"value": str(rng.randint(0, 120))}
    if qtype == "ordering":
        order = [item["id"] for item in definition.get("items", [])]
        rng.shuffle(order)
        return {"order": order}
    if qtype == "matching":
        choices = definition.get("choices") or [""]
        return {"pairs": {prompt["id"]: rng.choice(choices) for prompt in definition.get("prompts", [])}}
    return {"text": ESSAY_TEXT}
