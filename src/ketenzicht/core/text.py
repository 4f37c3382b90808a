"""Text input that every database can store and every screen can show."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

# C0 control characters other than tab, newline and carriage return: PostgreSQL
# cannot store NUL at all, and the others only hide text from a reader.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value: str) -> str:
    """Refuse invisible control characters, naming the first one found."""
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"contains the control character U+{ord(found.group()):04X} "
                         f"at position {found.start() + 1}")
    return value


CleanStr = Annotated[str, AfterValidator(no_control_characters)]
