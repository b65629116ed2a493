"""Matching: three to eight items, each with its match among the choices, which may hold up
to three matches for no item (Moodle's extra wrong answers, `= -> Chat` in GIFT).

body {"left": [{key, text}], "right": [{key, text}]}, answer {"pairs": {left: right}}.
Partial credit: one share per item matched right.
"""

from quizzes.bank.drafts import LIMITS, QuestionDraft
from quizzes.bank.gift_syntax import GiftProblem, escape
from quizzes.bank.kinds.base import (
    Choice,
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

# Each item posts its match in a field named this prefix and the item's token.
MATCH_PREFIX = "match-"


# Left and right keys are tokened apart, so an item's token is never a valid match.
def left_token_key(key: str) -> str:
    return f"left:{key}"


def right_token_key(key: str) -> str:
    return f"right:{key}"


def _pair_lines(left: dict, right: dict, pairs: dict) -> str:
    return "; ".join(f"{left.get(lk, '')} → {right.get(rk, '')}" for lk, rk in pairs.items())


class Matching(Kind):
    code = "match"
    widget = "match"
    form_path = "quizzes.bank.forms.MatchingQuestionForm"

    def shape_problems(self, *, body, answer):
        problems = []
        left = entry_keys(body.get("left"), "left", problems)
        right = entry_keys(body.get("right"), "right", problems)
        pairs = answer.get("pairs")
        if (
            left
            and right
            and (
                not isinstance(pairs, dict)
                or sorted(pairs) != sorted(left)
                or not set(pairs.values()) <= set(right)
            )
        ):
            problems.append("The pairs must match every left key to one right key.")
        return problems

    def draft_problems(self, draft):
        problems = []
        low, high = LIMITS["pairs"]
        if not low <= len(draft.pairs) <= high:
            problems.append(f"A matching question needs {low} to {high} pairs.")
        if len({left.casefold() for left, _ in draft.pairs}) != len(draft.pairs):
            problems.append("Each item on the left must be different.")
        rights = [right.casefold() for _, right in draft.pairs] + [
            text.casefold() for text in draft.distractors
        ]
        if len(set(rights)) != len(rights):
            problems.append("Each match on the right must be different.")
        if len(draft.distractors) > LIMITS["distractors"][1]:
            problems.append(f"At most {LIMITS['distractors'][1]} extra wrong matches.")
        return problems + text_problems(
            [text for pair in draft.pairs for text in pair] + draft.distractors
        )

    def question_data(self, draft, *, old_body):
        left_keys = keep_keys(old_body.get("left", []), len(draft.pairs))
        right_texts = [pair[1] for pair in draft.pairs] + list(draft.distractors)
        right_keys = keep_keys(old_body.get("right", []), len(right_texts))
        left = [
            {"key": k, "text": pair[0].strip()}
            for k, pair in zip(left_keys, draft.pairs, strict=True)
        ]
        right = [
            {"key": k, "text": text.strip()}
            for k, text in zip(right_keys, right_texts, strict=True)
        ]
        return {
            "body": {"left": left, "right": right},
            "answer": {"pairs": dict(zip(left_keys, right_keys, strict=False))},
        }

    def draft_fields(self, *, body, answer):
        right = texts_by_key(body.get("right"))
        pairs = answer.get("pairs", {})
        matched = set(pairs.values())
        # The left column keeps the order the author wrote (jsonb does not keep dict order).
        return {
            "pairs": [
                (o["text"], right[pairs[o["key"]]])
                for o in body.get("left", [])
                if pairs.get(o["key"]) in right
            ],
            "distractors": [o["text"] for o in body.get("right", []) if o["key"] not in matched],
        }

    def page_fields(self, *, question, tokens, rng):
        body = body_of(question)
        left, right = list(body.get("left", [])), list(body.get("right", []))
        rng.shuffle(left)
        rng.shuffle(right)
        return {
            "rows": [
                Row(MATCH_PREFIX + tokens.token(left_token_key(o["key"])), o["text"]) for o in left
            ],
            "right": [Choice(tokens.token(right_token_key(o["key"])), o["text"]) for o in right],
        }

    def read_answer(self, *, question, data, tokens):
        body = body_of(question)
        right_keys = {right_token_key(o["key"]): o["key"] for o in body["right"]}
        pairs = {}
        for left in body["left"]:
            name = MATCH_PREFIX + tokens.token(left_token_key(left["key"]))
            value = posted_value(data, name, missing="Choose a match for every item.")
            chosen = tokens.key_for(value, right_keys)
            if chosen is None:
                raise UnreadableAnswer("One of the matches is not among the choices.")
            pairs[left["key"]] = right_keys[chosen]
        return {"pairs": pairs}

    def posted_fields(self, *, question, tokens, right):
        key = key_of(question)
        pairs = dict(key["pairs"])
        if not right:
            lefts = list(pairs)
            pairs[lefts[0]], pairs[lefts[1]] = pairs[lefts[1]], pairs[lefts[0]]
            if pairs == key["pairs"]:  # two lefts shared one right: pick another
                others = [
                    o["key"] for o in body_of(question)["right"] if o["key"] != pairs[lefts[0]]
                ]
                pairs[lefts[0]] = others[0]
        return {
            MATCH_PREFIX + tokens.token(left_token_key(lk)): tokens.token(right_token_key(rk))
            for lk, rk in pairs.items()
        }

    def score(self, *, question, submitted):
        pairs = key_of(question).get("pairs", {})
        chosen = submitted.get("pairs") or {}
        right = sum(1 for left, right_key in pairs.items() if chosen.get(left) == right_key)
        total = len(pairs) or 1
        message = "" if right in (0, total) else f"{right} of {total} matched correctly."
        return Score(right / total, message)

    def correct_display(self, *, question):
        body = body_of(question)
        return _pair_lines(
            texts_by_key(body.get("left")), texts_by_key(body.get("right")),
            key_of(question).get("pairs", {}),
        )

    def answer_text(self, *, question, answer):
        body = body_of(question)
        return _pair_lines(
            texts_by_key(body.get("left")), texts_by_key(body.get("right")),
            answer.get("pairs") or {},
        )

    def answer_rows(self, *, question, answer):
        body = body_of(question)
        left, right = texts_by_key(body.get("left")), texts_by_key(body.get("right"))
        chosen = answer.get("pairs") or {}
        return [
            {
                "text": left.get(lk, ""),
                "yours": right.get(chosen.get(lk), "—"),
                "right": right.get(rk, ""),
                "ok": chosen.get(lk) == rk,
            }
            for lk, rk in key_of(question).get("pairs", {}).items()
        ]

    def gift_lines(self, draft):
        if any("->" in left for left, _ in draft.pairs):
            return None  # GIFT would read the arrow in the item as the pair's arrow
        return [f"={escape(left)} -> {escape(right)}" for left, right in draft.pairs] + [
            f"= -> {escape(text)}" for text in draft.distractors
        ]

    def read_gift(self, block):
        """=item -> match, one line per pair."""
        if not any("->" in answer.text for answer in block.answers):
            return None
        pairs, distractors = [], []
        for answer in block.answers:
            if answer.marker != "=" or "->" not in answer.text:
                raise GiftProblem(
                    "In a matching question every line needs the form =item -> match."
                )
            left, right = (part.strip() for part in answer.text.split("->", 1))
            if left:
                pairs.append((left, right))
            else:  # = -> match: a match for no item, to choose among
                distractors.append(right)
        return QuestionDraft(
            kind=self.code, prompt="", pairs=pairs, distractors=distractors,
            explanation=block.explanation,
        )
