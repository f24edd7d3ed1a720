//! Writes `examples/provider.xlsx`: a realistic provider submission in
//! council format 1 (SPEC 7) for the 13 weeks from Monday 6 April 2026, and
//! `examples/return-with-error.xlsx`: a small return from the same provider
//! with exactly one mistake, week 8 of P0102 typed as the text `"7 hrs"`
//! (one `bad-hours` error at `Hours!N4`, the README's `check` example).
//!
//!     cargo run --example make_sample
//!
//! The files are the same on every run: the people with something to show
//! are written out by hand below, and the ordinary people's small ups and
//! downs come from a fixed-seed generator, kept only when they raise no
//! warning. Hours are held as whole minutes, so every Total is exact.
//!
//! What the sample shows (by Person ID):
//!
//! - P0003 uses hours early: the bank balance goes beyond 8% of the
//!   commissioned hours in week 7 and is paid back by the end
//!   (bank-limit-exceeded, but within tolerance).
//! - P0005 referred, under the bundle; charged on the bundle, so refunded.
//! - P0007 no care at all in the period (in hospital throughout).
//! - P0009 referred, over the bundle every week (change in need, more).
//! - P0010 in hospital for weeks 5 to 7 (no-care weeks), `[h]:mm` durations.
//! - P0012 on two rows: the bundle went up from 7 to 10.5 after a review.
//! - P0014 five weeks in a row well under the bundle (change in need,
//!   less) but within tolerance overall; hours typed as text `"17:30"`.
//! - P0015 exactly 8% over: the boundary is within tolerance.
//! - P0016 a little under its bundle and charged on the bundle: a refund
//!   while within tolerance (the weekly charge rounds 86.975 to 86.98).
//! - P0017 care ended mid-period (moved to residential care).
//! - P0019 the provider's Total is wrong (total-mismatch).
//! - P0021 one no-care week (on holiday).
//! - P0022 20-minute visits typed as durations: a Total shown to 2 decimals.
//! - P0024 care started mid-period (blank weeks before it).
//! - P0027 one week over 3 × the bundle (respite), referred over.
//! - P0030 just outside tolerance, under (-8.12%).
//! - P0033 referred, under, with a long run of short weeks.

mod support;

use rust_xlsxwriter::XlsxError;
use support::{
    Lcg, Row, Style, WEEKS, bro_morgannwg, bundle_raised, date, examples_dir, minutes, row, write_return,
};

/// The ordinary people's generator seed: change it for a different sample.
const SEED: u64 = 20_260_406;

/// True when a full-period person with these weeks raises no warning, with
/// a margin: net variance within 6% and bank balance within 7% of the
/// commissioned hours, no run of 4 weeks each more than 8% off the bundle
/// the same way (SPEC 3), no week over 3 × the bundle.
fn quiet(bundle: i64, weeks: &[i64]) -> bool {
    let commissioned = bundle * WEEKS as i64;
    let net: i64 = weeks.iter().map(|a| a - bundle).sum();
    let mut balance = 0;
    let mut run = (0, 0); // (sign, length)
    for &a in weeks {
        balance += bundle - a;
        if balance.abs() * 100 > 7 * commissioned || a > 3 * bundle || a <= 0 {
            return false;
        }
        let off = (a - bundle).abs() * 100 > 8 * bundle;
        let sign = if off { (a - bundle).signum() } else { 0 };
        run = if sign != 0 && sign == run.0 {
            (sign, run.1 + 1)
        } else {
            (sign, i32::from(sign != 0))
        };
        if run.1 >= 4 {
            return false;
        }
    }
    let changed = weeks.iter().filter(|&&a| a != bundle).count();
    net.abs() * 100 <= 6 * commissioned && changed >= 4
}

/// An ordinary person: small ups and downs around the bundle, some banking
/// hours for later, some using them early, all within tolerance.
fn ordinary(id: &'static str, name: &'static str, bundle: &str, rng: &mut Lcg) -> Row {
    let b = minutes(bundle);
    // Hours move in quarter hours for small bundles, more for large ones.
    let step = if b <= 6 * 60 {
        15
    } else if b <= 14 * 60 {
        30
    } else {
        60
    };
    let shape = rng.below(3);
    for _ in 0..100_000 {
        let weeks: Vec<i64> = (0..WEEKS)
            .map(|k| {
                let steps: &[i64] = match (shape, k < 6) {
                    (1, true) => &[-2, -1, -1, 0, 0], // banking for later
                    (1, false) => &[0, 0, 1, 1, 2],
                    (2, true) => &[2, 1, 1, 0, 0], // using hours early
                    (2, false) => &[0, 0, -1, -1, -2],
                    _ => &[-1, 0, 0, 0, 1],
                };
                b + step * rng.pick(steps)
            })
            .collect();
        if quiet(b, &weeks) {
            let style = rng.pick(&[
                Style::Number,
                Style::Number,
                Style::Number,
                Style::Duration,
                Style::Duration,
                Style::Text,
                Style::Mixed,
            ]);
            return Row::new(id, name, b, weeks.into_iter().map(Some).collect()).style(style);
        }
    }
    panic!("no quiet weeks found for {id}");
}

/// Everyone on the return, in the provider's order.
fn people() -> Vec<Row> {
    let mut rng = Lcg(SEED);
    let rng = &mut rng;
    let [before, after] = bundle_raised("P0012");
    vec![
        ordinary("P0001", "Gwen Hughes", "8.5", rng).charge("48.75"),
        ordinary("P0002", "Bryn Jenkins", "14", rng),
        row(
            "P0003",
            "Dafydd Rees",
            "10",
            "13 10 13.5 10 13 10 12 8 10 8 10 8.5 10",
        )
        .charge("100.00")
        .note("Extra calls while his wife was in hospital in April and May; hours paid back from June"),
        ordinary("P0004", "Eirlys Morgan", "6", rng).charge("35.20"),
        row(
            "P0005",
            "Megan Price",
            "3",
            "3 2.5 2.5 2 3 2.5 2 2.5 3 2.5 2 2.5 3",
        )
        .charge("95.00")
        .note("Carer shortages in Llantwit Major: calls cut short"),
        ordinary("P0006", "Rhodri Evans", "21", rng),
        row("P0007", "Margaret Jones", "7", "0 0 0 0 0 0 0 0 0 0 0 0 0")
            .charge("52.40")
            .note("In hospital (UHW) throughout the period; package suspended, not cancelled"),
        ordinary("P0008", "Sian Powell", "4.5", rng).charge("0.00"),
        row("P0009", "Nia Williams", "5", "6 6 5.5 6 6.5 6 6 5.5 6 6 6.5 6 6")
            .note("Needs more help since her stroke in March; review requested"),
        row(
            "P0010",
            "Huw Davies",
            "14",
            "14 13.5 14.5 14 0 0 0 12.5 14 14.5 14 15 13.5",
        )
        .style(Style::Duration)
        .note("In Llandough Hospital 03/05/2026 to 24/05/2026: no care weeks 5 to 7"),
        ordinary("P0011", "Angharad Lewis", "11.25", rng).charge("100.00"),
        before,
        after,
        ordinary("P0013", "Emyr Phillips", "28", rng),
        row(
            "P0014",
            "Dilys Roberts",
            "17.5",
            "17.5 18 17.5 17 15.5 15 15.5 15 15.5 18 17.5 17.5 17.5",
        )
        .style(Style::Text)
        .charge("100.00")
        .note("Daughter staying after a fall; asked for shorter calls. Review requested"),
        row(
            "P0015",
            "Glenys Edwards",
            "12.5",
            "14 13 13.5 14 13 13.5 13.5 13 14 13.5 13 13.5 14",
        )
        .note("Extra half hour most weeks for bathing, agreed with family"),
        row(
            "P0016",
            "Alun Bowen",
            "3.5",
            "3.5 3.5 3 3.5 3.5 3 3.5 3.5 3.5 3 3.5 3.5 3.5",
        )
        .style(Style::Text)
        .charge("100.00"),
        row(
            "P0017",
            "Trefor Owen",
            "21",
            "21 20.5 21.5 21 22 21 20 21 9 - - - -",
        )
        .style(Style::Mixed)
        .charge("100.00")
        .ends(date(2026, 6, 3))
        .note("Moved to residential care (Ty Hafan) 03/06/2026"),
        ordinary("P0018", "Catrin Pritchard", "9.5", rng),
        ordinary("P0019", "Mair Llewellyn", "12", rng)
            .charge("64.90")
            .total_off(600),
        ordinary("P0020", "Gareth Thomas", "5.25", rng),
        row(
            "P0021",
            "Olwen James",
            "5.5",
            "5.5 5.5 6 5 5.5 5.5 5.5 0 5.5 6 5.5 5 5.5",
        )
        .charge("41.30")
        .note("w/c 25/05/2026 on holiday with her daughter in Tenby: no care needed"),
        row(
            "P0022",
            "Idris Howells",
            "7",
            "7:00 6:40 7:20 7:00 7:20 6:40 7:20 7:00 7:20 6:40 7:00 7:00 7:00",
        )
        .style(Style::Duration)
        .note("20-minute medication calls"),
        ordinary("P0023", "Beryl Watkins", "7.5", rng).charge("87.15"),
        row(
            "P0024",
            "Ffion Rowlands",
            "10.5",
            "- - - - - 6 10.5 11 10 10.5 10.5 11 10.5",
        )
        .charge("38.60")
        .starts(date(2026, 5, 13))
        .note("New package from 13/05/2026 after hospital discharge"),
        ordinary("P0025", "Gwilym Harries", "17.5", rng),
        ordinary("P0026", "Myfanwy Richards", "3", rng).charge("30.00"),
        row("P0027", "Cledwyn Parry", "4", "4 4 3.5 4 4.5 4 4 3.5 4 14 4 4 4")
            .charge("62.50")
            .note(
                "Week 10: carer stayed overnight (respite) while his daughter, his main carer, was in \
                 hospital; agreed with the social worker",
            ),
        ordinary("P0028", "Derek Matthews", "10", rng),
        ordinary("P0029", "Sheila Cole", "15.75", rng).charge("100.00"),
        row("P0030", "Elfed Protheroe", "9", "8 8.5 8 8 9 8 8 8.5 8 8 9 8.5 8")
            .note("Often declines the teatime call; family informed"),
        ordinary("P0031", "Terence Bevan", "19", rng),
        ordinary("P0032", "Carys Vaughan", "8.75", rng).charge("55.00"),
        row(
            "P0033",
            "Doreen Lloyd",
            "24.5",
            "22 21.5 23 20.5 22 21 22.5 21 20 22 21.5 23 22.5",
        )
        .style(Style::Duration)
        .charge("100.00")
        .note("Two carers needed for each call; agency short of double-handed slots"),
        ordinary("P0034", "Wyn Morris", "6.75", rng),
    ]
}

/// The small return for the README's `check` example: three people, every
/// figure unremarkable but one, which `check` reports as `bad-hours`.
/// Typed as 7 it would pass the check with nothing to report.
fn small_return() -> Vec<Row> {
    vec![
        row("P0101", "Aled Pugh", "6", "6 6 6.5 6 5.5 6 6 6 6.5 6 6 5.5 6").charge("40.00"),
        row(
            "P0102",
            "Betsan Hopkins",
            "7",
            "7 7 7.5 7 7 6.5 7 7 7 7.5 7 6.5 7",
        )
        .typed(8, "7 hrs")
        .note("Week 8 typed by the office"),
        row(
            "P0103",
            "Carwyn Lewis",
            "10.5",
            "10.5 10.5 11 10 10.5 10.5 11 10 10.5 10.5 10.5 10 11",
        )
        .style(Style::Duration)
        .charge("100.00"),
    ]
}

/// The first ten people of the sample as their return stands after week 8
/// (weeks 9 to 13 still blank), for `yourchoice monitor --as-of 2026-05-31`.
fn half_filled() -> Vec<Row> {
    people()
        .into_iter()
        .take(10)
        .map(|mut r| {
            for w in r.weeks.iter_mut().skip(8) {
                *w = None;
            }
            r.total_error = 0;
            r.typo = None;
            r
        })
        .collect()
}

fn main() -> Result<(), XlsxError> {
    write_return(&examples_dir(), &bro_morgannwg("provider.xlsx", people()))?;
    write_return(
        &examples_dir(),
        &bro_morgannwg("return-with-error.xlsx", small_return()),
    )?;
    write_return(
        &examples_dir(),
        &bro_morgannwg("return-week-8.xlsx", half_filled()),
    )
}
