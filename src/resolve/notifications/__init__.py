"""Telling people: notices become messages, sent by e-mail (SMTP) or GOV.UK Notify by a background worker.

The disagreement services write ``Notice`` rows (the outbox) in their own transactions. This app turns
each into one ``Message`` per recipient and channel, each with a unique key, and sends it from a task
(``tasks``), so that a re-run or a restarted worker sends nothing twice. The deadline sweep
(``sweep``) writes the reminders and breach alerts, and the daily digests, and schedules itself.
"""
