"""Chronological order: three to eight events to put in order, earliest first.

body {"items": [{key, text}]}, answer {"order": [keys, earliest first]}. Partial credit:
one share per item in its right place. GIFT has no ordering question, so it has no GIFT form.
"""

from quizzes.bank.drafts import LIMITS
from quizzes.bank.kinds.base import (
    Kind,
    Row,
    Score,
    UnreadableAnswer,
    body_of,
    entry_keys,
    keep_keys,
    key_of,
    posted_value,
    text_problems,
    texts_by_key,
)

# Each item posts its place (1 is the earliest) in a field named this prefix and its token.
RANK_PREFIX = "rank-"


def item_token_key(key: str) -> str:
    return f"item:{key}"


class Ordering(Kind):
    code = "order"
    widget = "order"
    form_path = "quizzes.bank.forms.OrderingQuestionForm"

    def shape_problems(self, *, body, answer):
        problems = []
        items = entry_keys(body.get("items"), "items", problems)
        order = answer.get("order")
        if items and (not isinstance(order, list) or sorted(order) != sorted(items)):
            problems.append("The order must list every item key once, earliest first.")
        return problems

    def draft_problems(self, draft):
        problems = []
        low, high = LIMITS["items"]
        if not low <= len(draft.items) <= high:
            problems.append(f"An ordering question needs {low} to {high} items.")
        return problems + text_problems(draft.items, distinct=True)

    def question_data(self, draft, *, old_body):
        keys = keep_keys(old_body.get("items", []), len(draft.items))
        items = [{"key": k, "text": t.strip()} for k, t in zip(keys, draft.items, strict=True)]
        # Stored in a fixed but non-chronological order; the attempt shuffles it again.
        shown = sorted(items, key=lambda item: item["key"])
        return {"body": {"items": shown}, "answer": {"order": keys}}

    def draft_fields(self, *, body, answer):
        texts = texts_by_key(body.get("items"))
        return {"items": [texts[k] for k in answer.get("order", []) if k in texts]}

    def page_fields(self, *, question, tokens, rng):
        items = list(body_of(question).get("items", []))
        rng.shuffle(items)
        return {
            "rows": [
                Row(RANK_PREFIX + tokens.token(item_token_key(o["key"])), o["text"])
                for o in items
            ],
            "ranks": list(range(1, len(items) + 1)),
        }

    def read_answer(self, *, question, data, tokens):
        items = body_of(question)["items"]
        ranks = {}
        for item in items:
            name = RANK_PREFIX + tokens.token(item_token_key(item["key"]))
            value = posted_value(data, name, missing="Give every event a position.")
            if not value.isdigit() or not 1 <= int(value) <= len(items):
                raise UnreadableAnswer(f"Positions go from 1 to {len(items)}.")
            ranks[item["key"]] = int(value)
        if len(set(ranks.values())) != len(items):
            raise UnreadableAnswer("Give each event a different position.")
        return {"order": sorted(ranks, key=ranks.get)}

    def posted_fields(self, *, question, tokens, right):
        order = list(key_of(question)["order"])
        if not right:
            order[0], order[1] = order[1], order[0]
        return {
            RANK_PREFIX + tokens.token(item_token_key(key)): str(rank)
            for rank, key in enumerate(order, 1)
        }

    def score(self, *, question, submitted):
        order = key_of(question).get("order", [])
        chosen = list(submitted.get("order") or [])
        right = sum(1 for a, b in zip(order, chosen, strict=False) if a == b)
        total = len(order) or 1
        message = "" if right in (0, total) else f"{right} of {total} in the right place."
        return Score(right / total, message)

    def correct_display(self, *, question):
        items = texts_by_key(body_of(question).get("items"))
        order = key_of(question).get("order", [])
        return "; ".join(f"{n}. {items.get(key, '')}" for n, key in enumerate(order, 1))

    def answer_text(self, *, question, answer):
        items = texts_by_key(body_of(question).get("items"))
        return "; ".join(items.get(k, "") for k in answer.get("order") or [])

    def answer_rows(self, *, question, answer):
        items = texts_by_key(body_of(question).get("items"))
        chosen = answer.get("order") or []
        return [
            {
                "text": f"{n}.",
                "yours": items.get(chosen[n - 1], "—") if n <= len(chosen) else "—",
                "right": items.get(rk, ""),
                "ok": n <= len(chosen) and chosen[n - 1] == rk,
            }
            for n, rk in enumerate(key_of(question).get("order", []), 1)
        ]
