"""Messages translated when they are read, in the reader's language, not the sender's.

A notification is triggered by one person (or by the scheduler, which has no language)
and read by others. So a domain hands ``notify.send`` a :class:`Msg` — the English
msgid and its parameters — and ``send`` renders it once per recipient language.

Write ``Msg(N_("Case %(id)s: %(what)s"), id=3, what=Msg(N_("a task")))`` and
``Msg.ngettext("%(n)s signal", "%(n)s signals", n, n=n)``: ``N_`` and ``ngettext`` are
Babel's default keywords, so the msgids are extracted like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from ketenzicht.core.i18n import DEFAULT_LOCALE, LOCALES, translations


@runtime_checkable
class Localizable(Protocol):
    """Anything with a text per language (a ``Msg``, a process template's task, ...)."""

    def text(self, locale: str) -> str:
        """The text in ``locale``."""
        ...


Param = str | int | Localizable


class Msg:
    """A msgid (with a plural and a count, if any) and its parameters, not yet translated."""

    __slots__ = ("msgid", "n", "params", "plural")

    def __init__(self, msgid: str, /, **params: Param) -> None:
        self.msgid: str = msgid
        self.params: Mapping[str, Param] = params
        self.plural: str | None = None
        self.n = 1

    @classmethod
    def ngettext(cls, singular: str, plural: str, n: int, /, **params: Param) -> Msg:
        """A message with a plural form chosen by ``n``."""
        msg = cls(singular, **params)
        msg.plural, msg.n = plural, n
        return msg

    def __repr__(self) -> str:
        return f"Msg({self.msgid!r}, plural={self.plural!r}, n={self.n}, params={self.params!r})"

    def text(self, locale: str) -> str:
        """The message in ``locale`` (the default language when it is not one we have)."""
        locale = locale if locale in LOCALES else DEFAULT_LOCALE
        catalogue = translations(locale)
        template = (catalogue.gettext(self.msgid) if self.plural is None
                    else catalogue.ngettext(self.msgid, self.plural, self.n))
        if not self.params:
            return template
        return template % {k: render(v, locale) for k, v in self.params.items()}


def render(value: Param, locale: str) -> str:
    """A parameter or a whole message as text in ``locale``; plain values as they are."""
    if isinstance(value, Localizable):
        return value.text(locale)
    return str(value)
