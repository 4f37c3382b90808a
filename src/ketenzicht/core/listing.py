"""Paged, counted, filtered and sorted lists, done by the database (issue 23).

A list declares what may be asked of it in a :class:`ListSpec`: the sort keys (each a tuple
of columns, the primary key always last so that equal values keep one order across pages),
the filters with their allowed values, and the page sizes. :func:`parse` reads the query
string against it: a value the list does not offer is a 400 with the reason, never a silent
default, so that a shared or bookmarked address means what it says. :func:`paginate` runs
one COUNT and one LIMIT/OFFSET query. The state lives in the URL only (``ListQuery.url``),
so that every page can be linked to; the pager, count and sort links are drawn by
``templates/_list.html``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from ketenzicht.core.errors import DomainError
from ketenzicht.core.i18n import N_

T = TypeVar("T")

PAGE_SIZES = (10, 25, 50, 100)
MAX_PAGE = 100_000  # beyond any list here; keeps OFFSET bounded against odd addresses
FREE_TEXT_MAX = 100


class BadListQuery(DomainError):
    """A page, size, sort or filter the list does not offer (HTTP 400)."""

    status_code = 400


@dataclass(frozen=True)
class ListSpec:
    """What a list offers: its sorts, its filters and its page sizes.

    ``filters`` maps a query parameter to its allowed values; ``None`` allows free text up
    to ``FREE_TEXT_MAX`` characters (a search). ``defaults`` are filter values applied when
    the parameter is absent (an inbox shows open routings unless asked otherwise); an empty
    value in the address switches a default off.
    """

    sorts: Mapping[str, Sequence[ColumnElement[Any] | InstrumentedAttribute[Any]]]
    default_sort: str
    filters: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    defaults: Mapping[str, str] = field(default_factory=dict)
    per_page: int = 25
    descending_by_default: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ListQuery:
    """One request's page, page size, sort and filters, as read from the address."""

    page: int
    per_page: int
    sort: str
    descending: bool
    filters: Mapping[str, str]
    default_per_page: int = 25
    default_sort: str = ""
    descending_keys: frozenset[str] = frozenset()  # sorts that start newest/largest first

    @property
    def sort_param(self) -> str:
        """The sort as it stands in the address: ``deadline`` or ``-deadline``."""
        return f"-{self.sort}" if self.descending else self.sort

    def params(self, **changes: Any) -> dict[str, str]:
        """The query-string parameters of this state, with ``changes`` applied."""
        out: dict[str, str] = {k: v for k, v in self.filters.items()}
        out["sort"] = self.sort_param
        out["page"] = str(self.page)
        out["per_page"] = str(self.per_page)
        for key, value in changes.items():
            out[key] = str(value)
        # Leave defaults out: shorter addresses, and the same state has one address.
        if out.get("page") == "1":
            del out["page"]
        if out.get("per_page") == str(self.default_per_page):
            del out["per_page"]
        return out

    def url(self, **changes: Any) -> str:
        """A relative address (``?…``) of this list with ``changes`` applied."""
        return "?" + urlencode(self.params(**changes))

    def sort_url(self, key: str) -> str:
        """The address that sorts by ``key`` in its own first direction (``received``:
        newest first); chosen again on the current key, it reverses it."""
        descending = (not self.descending) if key == self.sort else key in self.descending_keys
        return self.url(sort=f"-{key}" if descending else key, page=1)

    def active(self, name: str) -> str:
        """The value of a filter ("" when it is not set)."""
        return self.filters.get(name, "")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, the total that matched, and the state that produced it."""

    items: list[T]
    total: int
    query: ListQuery

    @property
    def pages(self) -> int:
        """How many pages the matches fill (at least one, even when empty)."""
        return max(1, -(-self.total // self.query.per_page))

    @property
    def first_index(self) -> int:
        """The 1-based position of the first item on this page (0 when empty)."""
        return 0 if not self.items else (self.query.page - 1) * self.query.per_page + 1

    @property
    def last_index(self) -> int:
        """The 1-based position of the last item on this page."""
        return self.first_index + len(self.items) - 1 if self.items else 0

    def window(self, width: int = 2) -> list[int | None]:
        """Page numbers to link to: the first, the last and those near the current page.

        ``None`` marks a gap (drawn as an ellipsis), so that 400 pages give a pager of
        at most nine entries.
        """
        current, last = self.query.page, self.pages
        shown = sorted({1, last, *range(max(1, current - width),
                                        min(last, current + width) + 1)})
        out: list[int | None] = []
        for number in shown:
            if out and isinstance(out[-1], int) and number - out[-1] > 1:
                out.append(None)
            out.append(number)
        return out

    def map(self, fn: Callable[[T], Any]) -> Page[Any]:
        """The same page with every item passed through ``fn`` (a read shape)."""
        return Page(items=[fn(i) for i in self.items], total=self.total, query=self.query)


def _int(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise BadListQuery(N_("'%(name)s' must be a whole number, not '%(value)s'."),
                           name=name, value=raw[:20])
    return int(raw[:7])


def parse(params: Mapping[str, str], spec: ListSpec) -> ListQuery:
    """Read page, page size, sort and filters from a query string; refuse what is not offered.

    Parameters the list does not know are ignored (htmx and the language switch add their
    own); known ones with a value it does not offer raise :class:`BadListQuery`.
    """
    page = _int(params.get("page"), "page", 1)
    if not 1 <= page <= MAX_PAGE:
        raise BadListQuery(N_("There is no page %(page)s."), page=page)
    per_page = _int(params.get("per_page"), "per_page", spec.per_page)
    if per_page not in PAGE_SIZES:
        raise BadListQuery(N_("A page holds 10, 25, 50 or 100 items, not %(n)s."), n=per_page)
    raw_sort = params.get("sort") or ""
    descending = raw_sort.startswith("-")
    sort = raw_sort.removeprefix("-") or spec.default_sort
    if not raw_sort:
        descending = sort in spec.descending_by_default
    if sort not in spec.sorts:
        raise BadListQuery(N_("This list cannot be sorted by '%(sort)s'."), sort=sort[:40])
    filters: dict[str, str] = {}
    for name, allowed in spec.filters.items():
        value = params.get(name)
        if value is None:
            value = spec.defaults.get(name, "")
        value = value.strip()
        if not value:
            if name in spec.defaults:
                filters[name] = ""  # the default switched off, kept so the address says so
            continue
        if allowed is None:
            if len(value) > FREE_TEXT_MAX:
                raise BadListQuery(N_("A search is at most %(n)s characters."),
                                   n=FREE_TEXT_MAX)
        elif value not in allowed:
            raise BadListQuery(N_("'%(value)s' is not a choice for '%(name)s'."),
                               value=value[:40], name=name)
        filters[name] = value
    return ListQuery(page=page, per_page=per_page, sort=sort, descending=descending,
                     filters=filters, default_per_page=spec.per_page,
                     default_sort=spec.default_sort,
                     descending_keys=spec.descending_by_default)


def order(stmt: Select[Any], query: ListQuery, spec: ListSpec) -> Select[Any]:
    """``stmt`` ordered by the query's sort, every column in the sort's direction."""
    columns = spec.sorts[query.sort]
    return stmt.order_by(*(c.desc() if query.descending else c.asc() for c in columns))


def paginate(session: Session, stmt: Select[Any], query: ListQuery, spec: ListSpec,
             *, scalars: bool = True) -> Page[Any]:
    """Count the matches of ``stmt`` and fetch the query's page of them, sorted.

    A page past the last is answered with the last page (a list that shrank while someone
    held its third page open), not with an empty one.
    """
    total = int(session.scalar(
        select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)
    pages = max(1, -(-total // query.per_page))
    if query.page > pages:
        query = replace(query, page=pages)
    paged = order(stmt, query, spec).limit(query.per_page).offset(
        (query.page - 1) * query.per_page)
    rows: list[Any] = list(session.scalars(paged)) if scalars \
        else list(session.execute(paged).all())
    return Page(items=rows, total=total, query=query)


def page_of(items: Sequence[T], query: ListQuery) -> Page[T]:
    """The query's page of ``items``, already filtered and sorted by the caller.

    For a list whose last filter cannot be said in SQL on every database (a JSON list of
    named readers): the database sorts and narrows it first, this only counts and slices.
    A page past the last is answered with the last page, as :func:`paginate` does.
    """
    pages = max(1, -(-len(items) // query.per_page))
    if query.page > pages:
        query = replace(query, page=pages)
    start = (query.page - 1) * query.per_page
    return Page(items=list(items[start:start + query.per_page]), total=len(items), query=query)
