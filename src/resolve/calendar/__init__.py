"""Working-day arithmetic for UK nations' bank holidays and a partnership's own days."""

from resolve.calendar.working_days import LONDON, NATIONS, WorkingCalendar, bank_holiday

__all__ = ["LONDON", "NATIONS", "WorkingCalendar", "bank_holiday"]
