"""The report's rates and means, one rule each (the monthly report, the year and the assessment)."""

from __future__ import annotations


def ratio(part: int | float, whole: int | float) -> float | None:
    """part / whole, or None (shown as "—") when there is nothing to divide by."""
    return part / whole if whole else None


def problem_rates(row: dict) -> dict:
    """On-time rate: closed on time over closed plus overdue (a late open problem counts
    against it); satisfaction rate: satisfied or basically satisfied over closed with a rating."""
    row["on_time_rate"] = ratio(row["on_time"], row["closed"] + row["overdue"])
    row["satisfaction_rate"] = ratio(row["content"], row["rated"])
    return row


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None
