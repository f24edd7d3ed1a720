"""A council analyst's own reconciliation, for `benches/perf.rs` to time
against the tool (issue 16): openpyxl reads the return, the SPEC's core
rules run in Decimal (commissioned and delivered hours of the care weeks,
the net variance, the 8% tolerance, the settlement at the stated rate, the
bank balance's peak), and a small summary workbook is written, one row per
person. It is what a careful analyst would write in an afternoon, not the
tool's far richer report.

    python3 benches/analyst.py RETURN.xlsx OUT.xlsx

Needs openpyxl (`pip install openpyxl`); the bench skips it without.
"""

import datetime
import sys
from decimal import ROUND_HALF_UP, Decimal

import openpyxl


def hours(value):
    """A cell's hours as an exact Decimal, or None when blank."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.time):
        return Decimal(value.hour) + Decimal(value.minute) / 60
    if isinstance(value, datetime.timedelta):
        return Decimal(round(value.total_seconds())) / 3600
    if isinstance(value, (int, float)):
        return Decimal(repr(value))
    text = str(value).strip()
    if ":" in text:
        h, m = text.split(":")
        return Decimal(h) + Decimal(m) / 60
    return Decimal(text)


def main(path, out):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    details = {}
    for row in wb["Details"].iter_rows(values_only=True):
        if row and row[0]:
            details[str(row[0]).strip().rstrip(":").lower()] = row[1] if len(row) > 1 else None
    rate = Decimal(str(details["blended hourly rate"]))
    rows = wb["Hours"].iter_rows(values_only=True)
    header = None
    for row in rows:
        if row and row[0] == "Person ID":
            header = [str(h).strip().lower() if h is not None else "" for h in row]
            break
    col = {name: i for i, name in enumerate(header)}
    weeks = [col[f"week {k}"] for k in range(1, 14)]
    people = []
    for row in rows:
        if not row or row[0] is None or str(row[0]).strip().lower() in ("total", "totals"):
            continue
        bundle = hours(row[col["weekly bundle"]])
        commissioned = delivered = balance = peak = Decimal(0)
        for c in weeks:
            a = hours(row[c])
            if a is None or a == 0:
                continue
            commissioned += bundle
            delivered += a
            balance += bundle - a
            peak = max(peak, abs(balance))
        variance = delivered - commissioned
        tolerance = commissioned * Decimal("0.08")
        referred = abs(variance) > tolerance
        settlement = (variance * rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
        people.append((row[0], commissioned, delivered, variance, referred, settlement, peak))
    summary = openpyxl.Workbook()
    ws = summary.active
    ws.append(["Person ID", "Commissioned", "Delivered", "Variance", "Referred", "Settlement", "Bank peak"])
    for p in people:
        ws.append([p[0], float(p[1]), float(p[2]), float(p[3]), "yes" if p[4] else "no", float(p[5]), float(p[6])])
    summary.save(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
