"""The learner's own deck for Anki: the cards as anki.py makes them, with their schedule
(each card due when FSRS says) and their review log.

genanki writes every card as new and has no review log, so after it has built the package
this module opens the package's collection (SQLite, Anki's schema 11, as genanki writes it)
and fills in, for each card the learner has studied, the columns Anki's own scheduler reads:

- `cards`: type and queue (learning, review, relearning), due (a day number counted from
  the collection's creation day for review cards, a Unix time for learning ones), the
  interval, repetitions, lapses, steps left, and the FSRS memory state in `data`
  (stability, difficulty, desired retention, last review time), as Anki keeps it;
- `revlog`: one row per review that stands (an undone grade is left out), in time order:
  rating, the interval after and before, thinking time, and whether it was a learning,
  review or relearning step.

The collection is marked as using Anki's v2 scheduler or later (four grades everywhere).
Anki's importer, with "import scheduling" on, moves the day numbers from this collection's
creation day to its own, so a card due in four days here is due in four days there.
tests/quizzes/review/test_anki_history.py imports the package with Anki's `anki` library.
"""

import datetime
import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from fsrs import State

from quizzes.review.anki import build_package, note_guid
from quizzes.review.models import CardState, Review

# Anki's card types and queues (rslib/src/card/mod.rs).
CARD_TYPE = {State.Learning: 1, State.Review: 2, State.Relearning: 3}
QUEUE = {State.Learning: 1, State.Review: 2, State.Relearning: 1}
# Anki's review log kinds: 0 learning, 1 review, 2 relearning.
REVLOG_KIND = {None: 0, State.Learning: 0, State.Review: 1, State.Relearning: 2}
DEFAULT_FACTOR = 2500  # Anki's starting ease (permille); FSRS keeps its own state in `data`
DAY = 86400


def _day_number(moment: datetime.datetime, *, created: int) -> int:
    """Days from the collection's creation to `moment`, as Anki counts review due dates."""
    return int((moment.timestamp() - created) // DAY)


def _interval(*, due, reviewed, state: int | None) -> int:
    """Anki's interval: whole days for a review card, negative seconds while learning."""
    if due is None or reviewed is None:
        return 0
    if state == State.Review:
        return max(1, round((due - reviewed).total_seconds() / DAY))
    return -max(1, round((due - reviewed).total_seconds()))


def _parse(saved: dict | None):
    if saved is None:
        return None
    due = datetime.datetime.fromisoformat(saved["due"])
    last = datetime.datetime.fromisoformat(saved["last_review"]) if saved["last_review"] else None
    return saved["state"], due, last


def _card_columns(state: CardState, reviews: list[Review], *, created: int) -> dict:
    fsrs_state = State(state.state)
    if fsrs_state == State.Review:
        due = _day_number(state.due, created=created)
    else:
        due = int(state.due.timestamp())
    steps_left = 0
    if fsrs_state in (State.Learning, State.Relearning) and state.step is not None:
        total = 2 if fsrs_state == State.Learning else 1  # fsrs's default steps
        steps_left = max(1, total - state.step)
        steps_left = steps_left * 1000 + steps_left  # Anki's "left": today's and all
    lapses = sum(
        1 for review in reviews
        if review.rating == 1 and review.state_before and review.state_before["state"] == 2
    )
    memory = {"s": round(state.stability or 0.0, 4), "d": round(state.difficulty or 0.0, 4),
              "dr": 0.9}
    if state.last_review:
        memory["lrt"] = int(state.last_review.timestamp())
    return {
        "type": CARD_TYPE[fsrs_state], "queue": QUEUE[fsrs_state], "due": due,
        "ivl": _interval(due=state.due, reviewed=state.last_review, state=state.state)
        if fsrs_state == State.Review else 0,
        "factor": DEFAULT_FACTOR, "reps": len(reviews), "lapses": lapses,
        "left": steps_left, "data": json.dumps(memory, separators=(",", ":")),
    }


def _revlog_rows(state: CardState, reviews: list[Review], *, anki_card_id: int, used: set):
    """The card's reviews as revlog rows; the state after each is the state before the next
    (and the card's current state after the last)."""
    rows = []
    for index, review in enumerate(reviews):
        before = _parse(review.state_before)
        if index + 1 < len(reviews):
            # A log written before reviews kept their state (or imported) may lack it.
            after = _parse(reviews[index + 1].state_before) or (None, None, None)
        else:
            after = (state.state, state.due, state.last_review)
        revlog_id = int(review.reviewed_at.timestamp() * 1000)
        while revlog_id in used:  # revlog ids are unique (ms timestamps)
            revlog_id += 1
        used.add(revlog_id)
        after_state, after_due, _ = after
        last_ivl = 0
        if before is not None:
            before_state, before_due, before_last = before
            last_ivl = _interval(due=before_due, reviewed=before_last, state=before_state)
        rows.append((
            revlog_id, anki_card_id, -1, review.rating,
            _interval(due=after_due, reviewed=review.reviewed_at, state=after_state),
            last_ivl, DEFAULT_FACTOR, min(review.duration_ms or 0, 60_000),
            REVLOG_KIND[State(before[0]) if before else None],
        ))
    return rows


def _anki_card_ids(db) -> dict[str, int]:
    rows = db.execute("SELECT notes.guid, cards.id FROM cards JOIN notes ON notes.id = cards.nid")
    return dict(rows)


def export_with_history(*, user, lesson=None) -> bytes:
    """An .apkg of the active cards (as export_cards makes them) carrying `user`'s schedule
    and review log."""
    package, cards = build_package(lesson=lesson)
    states = {
        state.card_id: state
        for state in CardState.objects.filter(user=user, card__in=[c.pk for c in cards])
    }
    reviews: dict[int, list[Review]] = {}
    for review in (
        Review.objects.counted().filter(user=user, card_id__in=list(states))
        .order_by("reviewed_at", "id")
    ):
        reviews.setdefault(review.card_id, []).append(review)
    if not states:
        return package

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collection.anki2"
        with zipfile.ZipFile(io.BytesIO(package)) as source:
            names = source.namelist()
            parts = {name: source.read(name) for name in names}
        path.write_bytes(parts["collection.anki2"])
        db = sqlite3.connect(path)
        try:
            created, conf = db.execute("SELECT crt, conf FROM col").fetchone()
            # genanki's collection says nothing of its scheduler, so Anki would take it for
            # the old v1 one and shift learning grades (v1 had three buttons there); the
            # grades here are the four of v2 and later.
            conf = json.loads(conf)
            conf["schedVer"] = 2
            db.execute("UPDATE col SET conf = ?", [json.dumps(conf)])
            anki_ids = _anki_card_ids(db)
            used: set[int] = set()
            for card in cards:
                state = states.get(card.pk)
                if state is None:
                    continue
                anki_id = anki_ids[note_guid(card)]
                card_reviews = reviews.get(card.pk, [])
                columns = _card_columns(state, card_reviews, created=created)
                db.execute(
                    "UPDATE cards SET " + ", ".join(f"{name} = ?" for name in columns)
                    + " WHERE id = ?", [*columns.values(), anki_id],
                )
                db.executemany(
                    "INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _revlog_rows(state, card_reviews, anki_card_id=anki_id, used=used),
                )
            db.commit()
        finally:
            db.close()
        parts["collection.anki2"] = path.read_bytes()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            target.writestr(name, parts[name])
    return buffer.getvalue()


def history_filename(*, lesson=None) -> str:
    if lesson is not None:
        return f"uneasy-allies-{lesson.slug}-with-my-reviews.apkg"
    return "uneasy-allies-with-my-reviews.apkg"
