"""What the disagreement services announce to the apps above them (which they may not import).

``notice_written`` is sent inside the transaction that wrote a notice and its recipients:
``resolve.notifications`` answers it by queueing the notice's delivery in the same transaction, so
that the task exists exactly when the notice does (a rolled-back service queues nothing).
"""

from django.dispatch import Signal

#: sent with ``notice``: a ``Notice`` just written, its recipients set
notice_written = Signal()
