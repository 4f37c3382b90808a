"""Paged lists: the address states the page, sort and filters; what is not offered is a 400."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select
from sqlalchemy.orm import Session

from ketenzicht.core.listing import BadListQuery, ListSpec, paginate, parse

META = MetaData()
THINGS = Table("things", META, Column("id", Integer, primary_key=True),
               Column("colour", String), Column("size", Integer))
SPEC = ListSpec(sorts={"size": (THINGS.c.size, THINGS.c.id), "id": (THINGS.c.id,)},
                default_sort="size", descending_by_default=frozenset({"id"}),
                filters={"colour": frozenset({"red", "blue"}), "q": None},
                defaults={"colour": "red"}, per_page=10)


@pytest.fixture
def session() -> Session:
    engine = create_engine("sqlite://")
    META.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(THINGS), [
            {"id": i, "colour": "red" if i % 3 else "blue", "size": i % 4} for i in range(1, 101)])
    return Session(engine)


def test_bad_values_are_refused_with_the_reason() -> None:
    for params, word in (({"page": "x"}, "whole number"), ({"page": "0"}, "no page"),
                         ({"per_page": "7"}, "10, 25, 50 or 100"),
                         ({"sort": "colour"}, "cannot be sorted"),
                         ({"colour": "green"}, "not a choice"), ({"q": "x" * 101}, "at most")):
        with pytest.raises(BadListQuery) as caught:
            parse(params, SPEC)
        assert word in str(caught.value), params  # the English msgid; pages show it in Dutch
        assert caught.value.status_code == 400
    assert parse({"unknown": "ignored", "page": "2"}, SPEC).page == 2


def test_counts_filters_and_a_stable_order_across_pages(session: Session) -> None:
    stmt = select(THINGS.c.id)
    query = parse({}, SPEC)  # the default filter: red only
    first = paginate(session, stmt.where(THINGS.c.colour == query.filters["colour"]), query,
                     SPEC)
    assert first.total == 67 and len(first.items) == 10 and first.pages == 7
    seen: list[int] = []
    for n in range(1, 8):
        q = parse({"page": str(n)}, SPEC)
        seen += paginate(session, stmt.where(THINGS.c.colour == "red"), q, SPEC).items
    # Sizes repeat; ties are broken by id, so no row is shown twice or skipped.
    assert len(seen) == len(set(seen)) == 67
    assert parse({"colour": ""}, SPEC).filters == {"colour": ""}  # the default switched off
    everything = paginate(session, stmt, parse({"colour": ""}, SPEC), SPEC)
    assert everything.total == 100


def test_a_page_past_the_end_shows_the_last_and_links_keep_the_state(session: Session) -> None:
    query = parse({"page": "99", "colour": "blue", "sort": "-size"}, SPEC)
    page = paginate(session, select(THINGS.c.id).where(THINGS.c.colour == "blue"), query, SPEC)
    assert page.query.page == page.pages == 4 and page.items
    assert page.query.url(page=2) == "?colour=blue&sort=-size&page=2"
    assert page.query.sort_url("size") == "?colour=blue&sort=size"  # the same key reverses
    assert page.query.sort_url("id") == "?colour=blue&sort=-id"  # newest first by default
    assert page.window() == [1, 2, 3, 4]
    many = paginate(session, select(THINGS.c.id), parse({"page": "5", "colour": "",
                                                          "per_page": "10"}, SPEC), SPEC)
    assert many.window() == [1, None, 3, 4, 5, 6, 7, None, 10]
