"""Tests of resolve.reports: the dashboard figures, exports and the quarterly report."""
