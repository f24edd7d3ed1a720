"""A provider's analyst's own sums of a quarter's visits, for
`benches/perf.rs` to time against `yourchoice fill` (issue 23): pandas
reads Abacus's service-delivery CSV, puts each visit in the week of the
day it starts, counts its actual duration (the claimed one where the actual
is blank) times its carers, cancelled and missed visits 0, sums each
person's weeks in whole seconds (exact), and writes a workbook of the
totals, one row per person and a column per week. It is what a careful
analyst would write in an afternoon: no Visits sheet of evidence, no
checks of duplicates, overlaps, secondary lines or care dates.

    python3 benches/analyst_visits.py VISITS.csv PERIOD_START OUT.xlsx

Needs pandas and openpyxl (`pip install pandas openpyxl`); the bench skips
it without.
"""

import sys

import pandas as pd


def seconds(column):
    """`HH:MM:SS` -> whole seconds (blank: NaN)."""
    return pd.to_timedelta(column, errors="coerce").dt.total_seconds()


def main(path, start, out):
    visits = pd.read_csv(
        path,
        usecols=[
            "ServiceUserRef",
            "VisitDate",
            "DurationClaimed",
            "ActualDuration",
            "NumberOfCarers",
            "VisitCode",
        ],
        dtype={"ServiceUserRef": str, "VisitCode": str},
    )
    day = pd.to_datetime(visits["VisitDate"], format="%d/%m/%Y")
    week = (day - pd.Timestamp(start)).dt.days // 7 + 1
    length = seconds(visits["ActualDuration"]).fillna(seconds(visits["DurationClaimed"]))
    carers = visits["NumberOfCarers"].fillna(1)
    code = visits["VisitCode"].fillna("").str.lower()
    counted = ~code.str.contains("cancel|missed")
    visits["week"] = week
    visits["seconds"] = (length.fillna(0) * carers * counted).round().astype("int64")
    in_period = (visits["week"] >= 1) & (visits["week"] <= 13)
    totals = (
        visits[in_period]
        .groupby(["ServiceUserRef", "week"])["seconds"]
        .sum()
        .unstack(fill_value=0)
        .reindex(columns=range(1, 14), fill_value=0)
    )
    hours = totals / 3600
    hours.columns = [f"Week {k}" for k in hours.columns]
    hours.index.name = "Person ID"
    hours.to_excel(out, engine="openpyxl")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
