"""Working-day arithmetic for UK nations' bank holidays and a partnership's own days."""

from resolve.calendar.working_days import CLOSURE_DAY, LONDON, NATIONS, WorkingCalendar, bank_holiday

__all__ = ["CLOSURE_DAY", "LONDON", "NATIONS", "WorkingCalendar", "bank_holiday"]
