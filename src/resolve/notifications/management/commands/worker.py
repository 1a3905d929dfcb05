"""`resolve worker`: run the background work (sending messages, the deadline sweep) until stopped.

It is django-tasks-db's worker (`db_worker`, with all its options: --interval, --worker-id, --batch,
--max-tasks, --queue-name, --reload) on the default queue, after two things every start does: give
back the messages a killed worker had claimed and not sent (once their lease is over), and make sure
one chain of deadline sweeps is queued (``notifications.worker.sweep_ensure``; after each sweep it runs,
``sweeps_join`` keeps the chain one). Run as many as you
like, on as many machines as share the PostgreSQL database (decision 0014). SIGINT or SIGTERM stops it
after the task it is running; a second one stops it at once.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.utils.translation import gettext as _
from django_tasks_db.compat import task_finished
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from resolve.notifications.tasks import worker_name
from resolve.notifications.worker import claims_recover, sweep_ensure, sweep_finished


class Command(DatabaseWorkerCommand):
    help = "Run Resolve's background worker: send messages and run the deadline sweep, until stopped."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # host:pid, as each message's claimed_by says, so that a task and a message name the same worker
        parser.set_defaults(worker_id=worker_name())

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = claims_recover()
        if recovered:
            self.stdout.write(
                _("%(count)d messages claimed by a stopped worker will be sent again.") % {"count": recovered}
            )
        if sweep_ensure():
            self.stdout.write(_("Queued the deadline sweep."))
        # a sweep that ran while another worker started has a twin: one chain is kept
        task_finished.connect(sweep_finished, dispatch_uid="resolve.notifications.worker.sweep_finished")
        super().handle(*args, **options)
