"""The Anki export, checked by importing it with Anki's own `anki` package
(quizzes/review/anki.py)."""

import datetime
import io
import json
import sqlite3
import zipfile

import pytest

from quizzes.models import Card
from quizzes.review.anki import FIELD_NAMES, MODEL_ID, deck_id_for, export_cards
from quizzes.review.cards import sync_cards
from tests import factories

pytestmark = pytest.mark.django_db

anki_collection = pytest.importorskip("anki.collection")


@pytest.fixture
def course():
    border = factories.LessonFactory(slug="border", title="The border")
    panel = factories.LessonFactory(slug="panel", title="The 2003 panel")
    citation = factories.CitationFactory(
        source=factories.SourceFactory(title="Panel summary"), locator="Opening remarks"
    )
    factories.TermFactory(lesson=border, term="Sinuiju", definition="A city <on> the Yalu & more.")
    factories.FactFactory(lesson=border, text="The river is the [[Yalu]].")
    factories.ClaimFactory(lesson=panel, citation=citation, topic="leverage",
                           person=factories.PersonFactory(name="Samuel S. Kim",
                                                          affiliation="Columbia University"),
                           statement="Beijing's leverage is real\nbut limited.")
    sync_cards()
    return {"border": border, "panel": panel}


def import_into_fresh_collection(tmp_path, data: bytes, name="deck.apkg"):
    package = tmp_path / name
    package.write_bytes(data)
    collection = anki_collection.Collection(str(tmp_path / f"{name}.anki2"))
    request = anki_collection.ImportAnkiPackageRequest(
        package_path=str(package),
        options=anki_collection.ImportAnkiPackageOptions(),
    )
    collection.import_anki_package(request)
    return collection


def notes_of(collection):
    return {
        note.guid: note
        for note in (collection.get_note(note_id) for note_id in collection.find_notes(""))
    }


def read_package(data: bytes, tmp_path) -> tuple[set[str], set[int]]:
    """The note guids and deck ids inside a package, read straight from its database."""
    tmp_path.mkdir(exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        guids = {row[0] for row in db.execute("SELECT guid FROM notes")}
        decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    finally:
        db.close()
    return guids, {int(deck_id) for deck_id in decks}


def test_the_whole_deck_imports_into_anki_with_its_fields(tmp_path, course):
    collection = import_into_fresh_collection(tmp_path, export_cards())
    try:
        notes = notes_of(collection)
        assert len(notes) == Card.objects.active().count() == 4  # the term is two cards
        for note in notes.values():
            assert list(note.keys()) == list(FIELD_NAMES)
        by_front = {note["Front"]: note for note in notes.values()}
        term = by_front["What does “Sinuiju” mean?"]
        assert term["Back"] == "A city &lt;on&gt; the Yalu &amp; more."  # escaped as HTML
        claim = next(note for note in notes.values() if "leverage" in note["Front"])
        assert "Beijing&#x27;s leverage is real<br>but limited." in claim["Front"]
        assert claim["Back"].startswith("Samuel S. Kim (Columbia University)")  # who argued it
        assert claim["Source"] == "Panel summary — Opening remarks"
        deck_names = {deck.name for deck in collection.decks.all_names_and_ids()}
        assert {"Uneasy Allies::The border", "Uneasy Allies::The 2003 panel"} <= deck_names
        assert collection.models.get(MODEL_ID) is not None
    finally:
        collection.close()


def test_a_lessons_deck_holds_only_that_lesson(tmp_path, course):
    collection = import_into_fresh_collection(tmp_path, export_cards(lesson=course["border"]))
    try:
        assert len(notes_of(collection)) == 3
    finally:
        collection.close()
    _guids, deck_ids = read_package(export_cards(lesson=course["border"]), tmp_path / "raw")
    assert deck_id_for("border") in deck_ids


def test_reexport_keeps_guids_so_a_reimport_updates_rather_than_duplicates(tmp_path, course):
    # The first download happened yesterday; since then an editor has changed a term.
    Card.objects.update(updated_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1))
    first = export_cards()
    term = course["border"].terms.get()
    term.definition = "A border city facing Dandong."
    term.save()
    sync_cards()
    second = export_cards()

    first_guids, first_decks = read_package(first, tmp_path / "first")
    second_guids, second_decks = read_package(second, tmp_path / "second")
    assert first_guids == second_guids and len(first_guids) == 4
    assert first_decks == second_decks

    # Anki's default import (update a note when the incoming one is newer) takes the edit.
    collection = anki_collection.Collection(str(tmp_path / "learner.anki2"))
    try:
        for name, data in (("first.apkg", first), ("second.apkg", second)):
            collection.import_anki_package(
                anki_collection.ImportAnkiPackageRequest(
                    package_path=str(_write(tmp_path / name, data)),
                    options=anki_collection.ImportAnkiPackageOptions(),
                )
            )
        notes = notes_of(collection)
        assert len(notes) == 4
        assert "A border city facing Dandong." in {note["Back"] for note in notes.values()}
    finally:
        collection.close()


def _write(path, data: bytes):
    path.write_bytes(data)
    return path
