"""Who is asking, when it is not a person signed in to Resolve: an operator at the server's command line.

A management command (``resolve audit verify``, ``resolve retention apply``, ``resolve procedures
adopt``...) is run by someone with a shell on the server, who is trusted with the whole
installation. Services that such commands call take ``by=Operator.current()`` and record the
operator's login name in the audit entry, so the trail says who ran it and that it was a command.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass


@dataclass(frozen=True)
class Operator:
    """Someone running a management command on the server; ``name`` is their login and the host."""

    name: str

    @classmethod
    def current(cls) -> Operator:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # no login name in a bare container
            user = "unknown"
        return cls(name=f"{user}@{socket.gethostname()}"[:120])

    def __str__(self) -> str:
        return f"operator {self.name}"
