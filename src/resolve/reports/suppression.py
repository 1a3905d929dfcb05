"""Small-number suppression: what every figure that leaves the dashboard shows instead of a small count.

A count from 1 to ``below - 1`` is shown as "fewer than N" (``Partnership.suppress_below``, 5 by
default), so that no child can be identified from an export or a board report. Zero is shown: it
identifies no one. A total is shown as counted; ``suppress_row`` also hides the smallest other cell
of a row when exactly one was suppressed, so that it cannot be worked out from the total.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def is_suppressed(count: int, below: int) -> bool:
    return 0 < count < below


def shown(count: int, below: int) -> str:
    """``count`` as a figure that leaves the dashboard may show it."""
    return _("fewer than %(n)s") % {"n": below} if is_suppressed(count, below) else str(count)


def suppress_row(counts: list[int], below: int) -> list[str]:
    """A row of counts that adds up to a shown total: primary suppression, then one more cell if needed.

    With only one cell hidden, total minus the rest gives it away; the smallest other non-zero cell
    is hidden with it.
    """
    hidden = [is_suppressed(c, below) for c in counts]
    if sum(hidden) == 1:
        others = [(c, i) for i, c in enumerate(counts) if not hidden[i] and c > 0]
        if others:
            hidden[min(others)[1]] = True
    pairs = zip(counts, hidden, strict=True)
    return [_("suppressed") if h and not is_suppressed(c, below) else shown(c, below) for c, h in pairs]
