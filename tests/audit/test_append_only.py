"""Append-only in the application and, on PostgreSQL, in the database: only event_record writes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from resolve.audit.chain import verify
from resolve.audit.models import ChainHead, Event, Verb
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_saving_an_existing_entry_is_refused(trail: Cast) -> None:
    entry = Event.objects.get(verb=Verb.ACTION_ADDED)
    entry.data = {"action": "forged"}
    with pytest.raises(TypeError, match="append-only: an entry cannot be changed"):
        entry.save()
    assert Event.objects.get(pk=entry.pk).data != {"action": "forged"}


def test_deleting_an_entry_is_refused(trail: Cast) -> None:
    entry = Event.objects.get(verb=Verb.ACTION_ADDED)
    with pytest.raises(TypeError, match="cannot be deleted"):
        entry.delete()
    assert Event.objects.filter(pk=entry.pk).exists()


def test_entries_made_outside_the_service_are_refused(trail: Cast) -> None:
    before = Event.objects.count()
    forged = {"verb": Verb.NOTICE_DUE, "at": Event.objects.first().at, "prev_hash": "0" * 64}  # type: ignore[union-attr]
    with pytest.raises(TypeError, match=r"written only by resolve\.audit\.services\.event_record"):
        Event.objects.create(**forged, hash="f" * 64)
    with pytest.raises(TypeError, match=r"bulk_create\(\) is refused"):
        Event.objects.bulk_create([Event(**forged, hash="e" * 64)])
    with pytest.raises(TypeError, match=r"bulk_update\(\) is refused"):
        Event.objects.bulk_update(list(Event.objects.all()), ["data"])
    assert Event.objects.count() == before


def test_the_orm_refuses_updates_and_deletes_of_many_entries(trail: Cast) -> None:
    with pytest.raises(TypeError, match="append-only"):
        Event.objects.filter(verb=Verb.RAISED).update(data={})
    with pytest.raises(TypeError, match="append-only"):
        Event.objects.filter(verb=Verb.RAISED).delete()


def test_the_chain_head_moves_only_with_an_entry(trail: Cast) -> None:
    head = ChainHead.objects.get()
    head.count = 1
    with pytest.raises(TypeError, match=r"ChainHead\.save\(\) is refused"):
        head.save()
    with pytest.raises(TypeError, match="not updated directly"):
        ChainHead.objects.update(count=1)
    with pytest.raises(TypeError, match="not deleted"):
        ChainHead.objects.all().delete()
    with pytest.raises(TypeError, match="not deleted"):
        head.delete()
    with pytest.raises(TypeError, match=r"bulk_create\(\) is refused"):
        ChainHead.objects.bulk_create([ChainHead(pk=2, hash="0" * 64)])
    assert verify().ok


def test_the_database_refuses_to_change_entries_on_postgresql(trail: Cast) -> None:
    """On PostgreSQL a trigger refuses UPDATE and DELETE; on SQLite the application refuses them (above)."""
    entry = Event.objects.get(verb=Verb.ACTION_ADDED)
    if connection.vendor == "postgresql":
        for sql in ("UPDATE audit_event SET data = '{}' WHERE id = %s", "DELETE FROM audit_event WHERE id = %s"):
            with (
                pytest.raises(DatabaseError, match="audit_event rows are append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [entry.pk])
    else:
        assert connection.vendor == "sqlite"
        with pytest.raises(TypeError, match="append-only"):
            Event.objects.filter(pk=entry.pk).update(data={})
        with pytest.raises(TypeError, match="cannot be deleted"):
            entry.delete()
    assert Event.objects.get(pk=entry.pk).data == entry.data
    assert verify().ok
