//! Writes `examples/council/`: a council's side of one payment round for
//! the 13 weeks from Monday 6 April 2026, the set-up the README's "Council
//! side" section runs.
//!
//!     cargo run --example make_council
//!
//! - `council.toml`: the tolerance, the period, the maximum weekly charge,
//!   three providers with their blended hourly rates by date, and the plans.
//! - `plans.csv`: every person's bundle with their provider; P1006's bundle
//!   went up after a review in May, so two plan lines.
//! - `decisions.csv`: the monitoring officer's decisions on two referred
//!   people, one authorised and one held.
//! - Three returns in council format 1 (SPEC 7):
//!   - `bro-morgannwg.xlsx` (SUP00123, on time): ordinary small ups and
//!     downs; P1003 referred over the bundle while his wife was in hospital,
//!     authorised by the officer; P1006 on two rows (the bundle change);
//!     P1007 one no-care week; P1008 charged on the bundle, so a refund.
//!   - `cwm-taf-care.xlsx` (SUP00456, late): submitted 24/07/2026, after the
//!     due date 19/07/2026; it states £24.60 an hour where the council's
//!     rate is £24.30 (`rate-differs`: the council's rate is used); carer
//!     shortages, so an invoice; P2005 a new package from 11/05/2026.
//!   - `cwm-taf-care-corrected.xlsx`: Cwm Taf's corrected return, sent on
//!     28/07/2026 after the table-top meeting found P2002's week 4 entered
//!     as 26 hours where the rota shows 28; the ledger's resubmission.
//!   - `penarth-homecare.xlsx` (SUP00789, on time): P3003 referred under the
//!     bundle all period, held by the officer pending a review; P3002 assessed
//!     at £130.00 a week, capped at the council's £100.00, and refunded;
//!     P3007 moved to residential care on 08/06/2026.
//!
//! The files are the same on every run: every figure is written out below.
//! Hours are held as whole minutes, so every Total is exact.

mod support;

use std::fmt::Write as _;
use std::path::PathBuf;

use support::{Return, Style, bundle_raised, date, examples_dir, hours, row, write_return};

/// A provider: what the council holds (its rates, in `council.toml`) and
/// its return.
struct Provider {
    /// The council's blended hourly rates: (from, £ per hour).
    council_rates: &'static [(&'static str, &'static str)],
    /// The language its letters are written in (`None`: Welsh and English).
    language: Option<&'static str>,
    ret: Return,
}

/// When a plan started, for the people whose care began before the period.
const PLAN_FROM: &str = "2025-10-06";

fn bro_morgannwg() -> Provider {
    let [before, after] = bundle_raised("P1006");
    Provider {
        council_rates: &[("2025-04-07", "23.90"), ("2026-04-06", "24.85")],
        language: Some("cy"),
        ret: support::bro_morgannwg(
            "bro-morgannwg.xlsx",
            vec![
                row(
                    "P1001",
                    "Gwen Hughes",
                    "8.5",
                    "8.5 8.5 9 8 8.5 8.5 8.5 8.5 8.5 8 8.5 8.5 8.5",
                )
                .charge("48.75"),
                row(
                    "P1002",
                    "Bryn Jenkins",
                    "14",
                    "14 14 15 14 13 14 14 15 14 14 15 14 14",
                ),
                row(
                    "P1003",
                    "Dafydd Rees",
                    "10",
                    "10 14 14 14.5 14 14 10 10 10 10 10 10 10",
                )
                .charge("100.00")
                .note("Extra calls while his wife, his main carer, was in UHW 13/04/2026 to 17/05/2026"),
                row("P1004", "Eirlys Morgan", "6", "6 6 6 5.5 6 6 6.5 6 6 6 5.5 6 6")
                    .style(Style::Duration)
                    .charge("35.20"),
                row(
                    "P1005",
                    "Rhodri Evans",
                    "21",
                    "21 21 22 21 20 21 21 21 22 21 21 20 21",
                ),
                before,
                after,
                row("P1007", "Nia Williams", "5", "5 5 5.5 5 0 5 5 4.5 5 5 5.5 5 5")
                    .note("w/c 04/05/2026 on holiday with her son in Tenby: no care needed"),
                row(
                    "P1008",
                    "Huw Davies",
                    "3.5",
                    "3.5 3.5 3 3.5 3.5 3.5 3.5 3 3.5 3.5 3.5 3.5 3.5",
                )
                .style(Style::Text)
                .charge("100.00"),
            ],
        ),
    }
}

fn cwm_taf() -> Provider {
    Provider {
        council_rates: &[("2025-04-07", "23.60"), ("2026-04-06", "24.30")],
        language: None,
        ret: Return {
            file: "cwm-taf-care.xlsx",
            provider: "Cwm Taf Care Ltd",
            reference: "SUP00456",
            // The provider's own figure, not the rate the council agreed.
            stated_rate: "24.60",
            submitted_by: "Gareth Llewellyn, Care Coordinator",
            submitted: date(2026, 7, 24),
            people: vec![
                row(
                    "P2001",
                    "Angharad Lewis",
                    "11.25",
                    "11.25 11 11.25 10.75 11.25 11.25 11 11.25 11.25 10.75 11.25 11.25 11.25",
                )
                .charge("100.00"),
                row(
                    "P2002",
                    "Emyr Phillips",
                    "28",
                    "28 27 28 26 28 28 27 28 28 28 26 28 28",
                )
                .note("Carer shortages in Pontypridd in April and June: some calls cut short"),
                row(
                    "P2003",
                    "Dilys Roberts",
                    "17.5",
                    "17.5 17 17.5 17.5 16.5 17.5 17.5 17 17.5 17.5 17.5 17 17.5",
                )
                .style(Style::Duration)
                .charge("100.00"),
                row(
                    "P2004",
                    "Catrin Pritchard",
                    "9.5",
                    "9.5 9.5 9 9.5 9.5 10 9.5 9.5 9 9.5 9.5 9.5 9.5",
                ),
                row(
                    "P2005",
                    "Mair Llewellyn",
                    "12",
                    "- - - - - 12 12 12.5 12 11.5 12 11 12",
                )
                .charge("64.90")
                .starts(date(2026, 5, 11))
                .note("New package from 11/05/2026 after discharge from the Royal Glamorgan"),
                row(
                    "P2006",
                    "Gareth Thomas",
                    "5.25",
                    "5.25 5.25 5 5.25 5.25 5.25 5.5 5.25 5.25 5.25 5 5.25 5.25",
                )
                .style(Style::Text),
            ],
        },
    }
}

/// Cwm Taf's corrected return: P2002's week 4 was 28 hours, not 26.
fn cwm_taf_corrected() -> Return {
    let mut ret = cwm_taf().ret;
    ret.file = "cwm-taf-care-corrected.xlsx";
    ret.submitted = date(2026, 7, 28);
    ret.people[1] = row(
        "P2002",
        "Emyr Phillips",
        "28",
        "28 27 28 28 28 28 27 28 28 28 26 28 28",
    )
    .note("Carer shortages in Pontypridd in April and June: some calls cut short. Week 4 corrected from 26 to 28 hours (rota checked 28/07/2026)");
    ret
}

fn penarth() -> Provider {
    Provider {
        council_rates: &[("2025-04-07", "24.40"), ("2026-04-06", "25.20")],
        language: Some("en"),
        ret: Return {
            file: "penarth-homecare.xlsx",
            provider: "Penarth Homecare Ltd",
            reference: "SUP00789",
            stated_rate: "25.20",
            submitted_by: "Carys Vaughan, Office Manager",
            submitted: date(2026, 7, 17),
            people: vec![
                row(
                    "P3001",
                    "Glenys Edwards",
                    "12.5",
                    "12.5 13 12.5 12.5 12 12.5 13 12.5 13 12.5 12 12.5 13",
                ),
                row("P3002", "Alun Bowen", "4", "4 4 3.5 4 4 3.5 4 4 4 3.5 4 4 4")
                    .charge("130.00")
                    .note("Declined three calls (family visiting)"),
                row(
                    "P3003",
                    "Elfed Protheroe",
                    "9",
                    "8 7.5 7 7.5 7 7 8 7.5 7 7.5 8 7 7.5",
                )
                .note("Often declines the teatime call; family informed; review requested"),
                row(
                    "P3004",
                    "Doreen Lloyd",
                    "24.5",
                    "24.5 24.5 25 24 24.5 24.5 24.5 25 24.5 24 24.5 24.5 24.5",
                )
                .style(Style::Duration)
                .charge("100.00")
                .note("Two carers for each call"),
                row(
                    "P3005",
                    "Wyn Morris",
                    "6.75",
                    "6.75 6.75 7 6.75 6.75 6.75 6.75 6.75 7 6.75 6.75 6.5 6.75",
                ),
                row(
                    "P3006",
                    "Beryl Watkins",
                    "7.5",
                    "7.5 7.5 8 7.5 7.5 7 7.5 7.5 8 7.5 7.5 7.5 7.5",
                )
                .charge("87.15"),
                row(
                    "P3007",
                    "Trefor Owen",
                    "21",
                    "21 20.5 21.5 21 22 21 20 21 21.5 - - - -",
                )
                .charge("100.00")
                .ends(date(2026, 6, 7))
                .note("Moved to residential care (Ty Hafan) 08/06/2026"),
            ],
        },
    }
}

fn folder() -> PathBuf {
    examples_dir().join("council")
}

/// `council.toml`: the settings, with the providers' rate tables.
fn council_toml(providers: &[Provider]) -> String {
    let mut s = String::from(
        "# The Vale of Glamorgan's Your Choice settings (SPEC 6), written by\n\
         # `cargo run --example make_council`.\n\
         tolerance = \"8%\"            # of the period's commissioned hours, either way\n\
         period_weeks = 13\n\
         submission_days = 14         # returns due 14 days after the period ends\n\
         table_top_days = 28          # table-top meeting within 28 days\n\
         sustained_weeks = 4          # a run this long suggests a change in need\n\
         plans = \"plans.csv\"          # each person's bundle, relative to this file\n\
         \n\
         # The most a person pays for care at home in a week, from a date.\n\
         [[max_weekly_charge]]\n\
         from = \"2025-04-07\"\n\
         amount = \"100.00\"\n\
         \n\
         # The letterhead of the letters to people and providers.\n\
         [letters]\n\
         council = \"Cyngor Bro Morgannwg · Vale of Glamorgan Council\"\n\
         address = [\"Swyddfeydd Dinesig · Civic Offices\", \"Heol Holton · Holton Road\", \"Y Barri · Barry CF63 4RU\"]\n\
         contact = \"01446 700111 · eichdewis@bromorgannwg.gov.uk\"\n\
         \n\
         # Finance: the accounting codes each export line carries, and what a\n\
         # recovery becomes (a debtor invoice, or a credit note netted against\n\
         # the provider's next payment). Each provider gives its purchase order.\n\
         [export]\n\
         cost_centre = \"SC4100\"         # adult social care: care at home\n\
         expense_code = \"5410\"          # independent sector home care\n\
         vat_code = \"EXEMPT\"            # care at home is exempt from VAT\n\
         recoveries = \"invoice\"\n",
    );
    for (i, p) in providers.iter().enumerate() {
        let rates: Vec<String> = p
            .council_rates
            .iter()
            .map(|(from, rate)| format!("{{ from = \"{from}\", rate = \"{rate}\" }}"))
            .collect();
        write!(
            s,
            "\n[[provider]]\nreference = \"{}\"\nname = \"{}\"\nsupplier_number = \"{}\"\nsupplier_site = \"{}\"\npurchase_order = \"PO-26-{:04}\"\n{}rates = [ {} ]\n",
            p.ret.reference,
            p.ret.provider,
            100_231 + i,
            ["BARRY", "PONTYPRIDD", "PENARTH"][i % 3],
            412 + i,
            p.language
                .map_or(String::new(), |l| format!("language = \"{l}\"\n")),
            rates.join(",\n          ")
        )
        .expect("a String");
    }
    s
}

/// `plans.csv`: one line per person's bundle; a person whose bundle
/// changed has one line per bundle, dated.
fn plans_csv(providers: &[Provider]) -> String {
    let mut s = String::from("Person ID,Provider reference,Weekly bundle,From,To,Name,Language,Address\n");
    for p in providers {
        for person in &p.ret.people {
            // The same details on each of a person's plans: from the
            // number in the Person ID.
            let i: usize = person.id[1..].parse::<usize>().expect("P and a number") % 1000 - 1;
            let from = person
                .care_start
                .map_or(PLAN_FROM.to_string(), |d| d.format("%Y-%m-%d").to_string());
            let to = person
                .care_end
                .map_or(String::new(), |d| d.format("%Y-%m-%d").to_string());
            // The letters' details as the council records them: the
            // language each person chose (every third not yet asked) and a
            // made-up address in the Vale.
            let language = ["cy", "en", ""][i % 3];
            let street = ["Heol y Frenhines", "Stryd Fawr", "Ffordd y Parc", "Lôn y Dŵr"][i % 4];
            writeln!(
                s,
                "{},{},{},{from},{to},{},{language},\"{} {street}, Y Barri, CF62 {}AB\"",
                person.id,
                p.ret.reference,
                hours(person.bundle),
                person.name,
                i + 1,
                i % 9 + 1
            )
            .expect("a String");
        }
    }
    s
}

/// `decisions.csv`: the monitoring officer's decisions on held settlements.
const DECISIONS: &str = "\
Provider reference,Person ID,Decision,Reason,Officer
SUP00123,P1003,authorise,\"Extra calls in weeks 2 to 6 only while his wife, his main carer, was in hospital (UHW 13/04 to 17/05); back to his bundle since she came home, so a one-off and not a change in need. Agreed with his social worker 28/07/2026\",Siân Thomas
SUP00789,P3003,hold,\"Under his bundle all period: he declines the teatime call. Social work review booked for 04/08/2026 to look at the bundle; hold until then\",Siân Thomas
";

const README: &str = "\
# A council's payment round: three providers, one period

Written by `cargo run --example make_council` (`examples/make_council.rs`);
run it again to rewrite every file here. The period is the 13 weeks from
Monday 6 April 2026; returns were due on 19 July 2026.

| file | what it is |
| --- | --- |
| `council.toml` | the council's settings: 8% tolerance, the period, the £100.00 maximum weekly charge, each provider's blended hourly rate by date and the language of its letters, the plans file, the letters' letterhead, and finance's accounting codes (each provider's supplier number and site and purchase order) |
| `plans.csv` | each person's weekly bundle with their provider (P1006 has two lines: the bundle went up from 7 to 10.5 hours on 25/05/2026), and for their letters the name, the language chosen (`cy`, `en`, or blank: not yet asked) and the address |
| `decisions.csv` | the monitoring officer's decisions: P1003 (Bro Morgannwg) authorised, P3003 (Penarth) held |
| `paid-2026-08.csv` | what finance's system reports paid on 12/08/2026: the two BACS payments and Cwm Taf's receipt against its invoice, by invoice number (the README's finance's day) |
| `bro-morgannwg.xlsx` | SUP00123, on time; P1003 referred over the bundle and authorised |
| `cwm-taf-care.xlsx` | SUP00456, submitted 24/07/2026 (late); states £24.60 an hour where the council pays £24.30 |
| `cwm-taf-care-corrected.xlsx` | Cwm Taf's corrected return, sent 28/07/2026: P2002's week 4 was 28 hours, not 26 (the README's resubmission) |
| `penarth-homecare.xlsx` | SUP00789, on time; P3003 referred under the bundle and held; P3002 assessed at £130.00 a week, capped at £100.00 and refunded |

From the repository root:

```sh
yourchoice reconcile examples/council/bro-morgannwg.xlsx examples/council/cwm-taf-care.xlsx \\
    examples/council/penarth-homecare.xlsx --council examples/council/council.toml \\
    --decisions examples/council/decisions.csv -o reports/ --summary reports/summary.xlsx
```

The repository README's \"Council side\" section shows the output.
";

/// What finance's system reports paid after the quarter's exports
/// (README's finance's day): the two BACS payments and Cwm Taf's receipt
/// against its invoice, each by its invoice number, on 12/08/2026.
const PAID: &str = "Reference,Date paid,Payment reference,Amount
YC-SUP00123-20260406-1,2026-08-12,BACS-260812-01,534.28
YC-SUP00789-20260406-1,2026-08-12,BACS-260812-02,18.90
YC-SUP00456-20260406-1,2026-08-12,AR-RECEIPT-4471,236.93
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let providers = [bro_morgannwg(), cwm_taf(), penarth()];
    let dir = folder();
    std::fs::create_dir_all(&dir)?;
    for p in &providers {
        write_return(&dir, &p.ret)?;
    }
    write_return(&dir, &cwm_taf_corrected())?;
    for (name, text) in [
        ("council.toml", council_toml(&providers)),
        ("plans.csv", plans_csv(&providers)),
        ("decisions.csv", DECISIONS.to_string()),
        ("paid-2026-08.csv", PAID.to_string()),
        ("README.md", README.to_string()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
