"""A partnership's oversight pages: ``/oversight/<partnership>/``: the dashboard, the board reports and
the learning log, for its business unit, its chair and its administrators (``resolve.reports.access``)."""
