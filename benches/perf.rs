//! The performance benchmark (issue 16): `cargo bench --bench perf`.
//!
//! It writes submissions of 100, 1,000, 10,000 and 50,000 people in the
//! provider's own style (`examples/support`: numbers, `[h]:mm` durations,
//! text hours, notes, assessed charges; a few percent of people referred,
//! with a wrong Total, a week over three times the bundle or a no-care
//! week, so the report carries findings and notes), and measures, each run
//! a fresh process, in the same run:
//!
//! - the **input floor**: calamine reads every cell of the workbook, and
//!   rust_xlsxwriter writes a sheet of the same cells;
//! - the **report floor**: the same read, then rust_xlsxwriter writes as many
//!   plain-number cells as the tool's report holds, sheet by sheet (no
//!   notes, formats or styles);
//! - `yourchoice reconcile FILE --json --no-report`, against the input floor;
//! - `yourchoice reconcile FILE --json -o REPORT`, against the report floor;
//! - four files in one `reconcile`, against four times one file;
//! - `reconcile FILE --json --no-report` with the council's files for the
//!   same people (a plan and a decision for each), and `template` listing
//!   them from a people CSV, each against the input floor (issue 22).
//!
//! With `--only fill` (and in a full run), issue 23's visits: Abacus
//! service-delivery CSVs of 1,000, 100,000 and 1,000,000 visits
//! (`--visits N,N`) for 1,000 people over the 13 weeks from 06/04/2026,
//! and, each against the others:
//!
//! - the **CSV floor**: the csv crate reads every record of the file;
//! - `yourchoice fill BLANK --visits FILE -o RETURN`: read, summed, the
//!   return written with its Visits sheet and checked;
//! - a provider's analyst's pandas script (`benches/analyst_visits.py`):
//!   the same sums, the totals written to a workbook, where pandas is
//!   installed.
//!
//! It prints medians of `--runs` runs (default 5) of wall time and of peak
//! memory (the child's `ru_maxrss`, read by a wrapper process that runs
//! only that child), and the ratios. Options:
//!
//!     cargo bench --bench perf -- --sizes 1000,10000 --runs 3
//!     cargo bench --bench perf -- --sizes 100000 --runs 3 --only council
//!     cargo bench --bench perf -- --only fill --visits 1000,100000,1000000
//!
//! (`--only council`: the input floor and the issue-22 cases alone.)
//!
//! With `--only letters` (and in a full run, at 6,000 people), issue 24's
//! letters: `yourchoice letters` of a return (one person in six charged,
//! so 6,000 people give about a thousand statements), against reconciling
//! the same return alone, and the time a letter:
//!
//!     cargo bench --bench perf -- --only letters --sizes 6000 --runs 3
//!
//! The floors and the wrapper are this same program, run as a child with
//! `floor-input`, `floor-report`, `floor-csv` or `measure` as its first
//! argument.

#[allow(dead_code, reason = "the examples use more of it than the bench")]
#[path = "../examples/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use calamine::{Data, Reader, open_workbook_auto};
use rust_xlsxwriter::Workbook;
use support::{Lcg, Return, Row, Style, WEEKS, date, write_return};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    match args.first().map(String::as_str) {
        Some("measure") => measure(&args[1..]),
        Some("floor-input") => floor_input(Path::new(&args[1]), Path::new(&args[2])),
        Some("floor-report") => floor_report(Path::new(&args[1]), &args[2], Path::new(&args[3])),
        Some("floor-csv") => floor_csv(Path::new(&args[1])),
        _ => bench(&args),
    }
}

// ---------------------------------------------------------------------------
// The submissions

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The `n` people of a return, the same for every call with `n` (the
/// council files below are written from them).
fn people(n: usize) -> Vec<Row> {
    let mut rng = Lcg(n as u64);
    let bundles = [180, 330, 420, 600, 840, 1260];
    let styles = [
        Style::Number,
        Style::Number,
        Style::Number,
        Style::Number,
        Style::Number,
        Style::Number,
        Style::Duration,
        Style::Duration,
        Style::Text,
        Style::Mixed,
    ];
    let notes = [
        "Carer shortages in April: some calls cut short",
        "In hospital for two weeks; calls resumed on discharge",
        "Family visiting in May, fewer calls wanted",
        "Extra calls while the main carer was away",
    ];
    (0..n)
        .map(|i| {
            let bundle = rng.pick(&bundles);
            let kind = rng.below(100);
            let weeks: Vec<Option<i64>> = (0..WEEKS)
                .map(|k| {
                    let wobble = rng.pick(&[-30, -15, 0, 0, 0, 15, 30]);
                    let minutes = match kind {
                        // Referred: a fifth under the bundle all period.
                        0..=3 => bundle * 4 / 5,
                        // A no-care week.
                        4..=6 if k == 5 => 0,
                        // One week over three times the bundle.
                        7 if k == 9 => bundle * 4,
                        _ => bundle + wobble,
                    };
                    Some(minutes.max(0))
                })
                .collect();
            let mut row = Row::new(
                leak(format!("P{:06}", i + 1)),
                leak(format!("Person {}", i + 1)),
                bundle,
                weeks,
            )
            .style(rng.pick(&styles));
            if kind == 8 || kind == 9 {
                row.total_error = 60;
            }
            if rng.below(10) == 0 {
                row = row.note(rng.pick(&notes));
            }
            if rng.below(6) == 0 {
                row = row.charge("100.00");
            }
            row
        })
        .collect()
}

/// A return of `n` people for the period from 06/04/2026, from provider
/// `reference`.
fn submission(n: usize, reference: &'static str, path: &Path) {
    let people = people(n);
    let dir = path.parent().expect("a folder");
    let r = Return {
        file: leak(path.file_name().expect("a name").to_string_lossy().into_owned()),
        provider: "Bro Morgannwg Home Care Ltd",
        reference,
        stated_rate: "24.85",
        submitted_by: "Rhian Bevan, Registered Manager",
        submitted: date(2026, 7, 14),
        people,
    };
    write_return(dir, &r).expect("the submission is written");
}

/// Hours from whole minutes, as a council's file writes them (`7:30`).
fn hmm(minutes: i64) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// A council's files for the return of `n` people of SUP00123 (issue 22):
/// `council.toml` naming `plans.csv` (a plan for each of the `n` people,
/// their bundle as the return gives it) and `decisions.csv` (a decision on
/// each of them, bound to the period; most are on settlements no rule
/// held, so they are `decision-unused`). Returns the toml's and the
/// decisions' paths.
fn council_files(n: usize, dir: &Path) -> (PathBuf, PathBuf) {
    use std::fmt::Write as _;
    let (toml, plans, decisions) = (
        dir.join("council.toml"),
        dir.join("plans.csv"),
        dir.join("decisions.csv"),
    );
    if toml.exists() && plans.exists() && decisions.exists() {
        return (toml, decisions);
    }
    std::fs::create_dir_all(dir).expect("a folder");
    let people = people(n);
    // The language each person chose for letters: Welsh, English, or not
    // asked (their letters in both).
    let mut p = String::from("Person ID,Provider reference,Weekly bundle,From,To,Language\n");
    let mut d = String::from("Provider reference,Person ID,Decision,Reason,Officer,Period start\n");
    for (i, row) in people.iter().enumerate() {
        writeln!(
            p,
            "{},SUP00123,{},2025-10-06,,{}",
            row.id,
            hmm(row.bundle),
            ["cy", "en", ""][i % 3]
        )
        .expect("a String");
        let action = if i % 3 == 0 { "hold" } else { "authorise" };
        writeln!(
            d,
            "SUP00123,{},{action},\"Agreed at the table-top meeting, see the social worker's note of 28/07/2026\",Siân Thomas,2026-04-06",
            row.id
        )
        .expect("a String");
    }
    std::fs::write(&plans, p).expect("written");
    std::fs::write(&decisions, d).expect("written");
    std::fs::write(
        &toml,
        "plans = \"plans.csv\"\n\n[[provider]]\nreference = \"SUP00123\"\nname = \"Bro Morgannwg Home Care Ltd\"\nrates = [ { from = \"2026-04-06\", rate = \"24.85\" } ]\n",
    )
    .expect("written");
    (toml, decisions)
}

/// The people CSV for `yourchoice template` of the same `n` people.
fn people_csv(n: usize, path: &Path) {
    use std::fmt::Write as _;
    if path.exists() {
        return;
    }
    let mut s = String::from("Person ID,Name,Weekly bundle,Assessed weekly charge\n");
    for row in people(n) {
        let charge = row.charge.map_or(String::new(), |c| c.to_string());
        writeln!(s, "{},{},{},{charge}", row.id, row.name, hmm(row.bundle)).expect("a String");
    }
    std::fs::write(path, s).expect("written");
}

// ---------------------------------------------------------------------------
// The floors

/// Every cell of every sheet, as calamine gives it.
fn read_all(input: &Path) -> Vec<(String, calamine::Range<Data>)> {
    let mut wb = open_workbook_auto(input).expect("the input opens");
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).expect("the sheet reads");
            (name, range)
        })
        .collect()
}

/// Read every cell; write a sheet of the same cells.
fn floor_input(input: &Path, out: &Path) {
    let sheets = read_all(input);
    let mut wb = Workbook::new();
    for (name, range) in &sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name).expect("a sheet name");
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r0 + r as u32, (c0 as usize + c) as u16);
                match cell {
                    Data::Empty => {}
                    Data::String(s) => {
                        ws.write_string(r, c, s).expect("written");
                    }
                    Data::Float(f) => {
                        ws.write_number(r, c, *f).expect("written");
                    }
                    Data::Int(i) => {
                        ws.write_number(r, c, *i as f64).expect("written");
                    }
                    other => {
                        ws.write_string(r, c, other.to_string()).expect("written");
                    }
                }
            }
        }
    }
    wb.save(out).expect("saved");
}

/// Read every cell; write, for each `name:rows:cols` of `shape`, that many
/// plain numbers.
fn floor_report(input: &Path, shape: &str, out: &Path) {
    let sheets = read_all(input);
    let cells: usize = sheets.iter().map(|(_, r)| r.used_cells().count()).sum();
    assert!(cells > 0);
    let mut wb = Workbook::new();
    for sheet in shape.split(',') {
        let mut parts = sheet.rsplitn(3, ':');
        let cols: u16 = parts.next().and_then(|c| c.parse().ok()).expect("cols");
        let rows: u32 = parts.next().and_then(|r| r.parse().ok()).expect("rows");
        let name = parts.next().expect("name");
        let ws = wb.add_worksheet();
        ws.set_name(name).expect("a sheet name");
        for r in 0..rows {
            for c in 0..cols {
                ws.write_number(r, c, f64::from(r) * 16.0 + f64::from(c))
                    .expect("written");
            }
        }
    }
    wb.save(out).expect("saved");
}

/// The shape of a workbook for [`floor_report`]: each sheet's cells as
/// `rows x cols` of its width, and the total.
fn shape(report: &Path) -> (String, usize) {
    let sheets = read_all(report);
    let mut total = 0;
    let shape = sheets
        .iter()
        .map(|(name, range)| {
            let cells = range.used_cells().count();
            total += cells;
            let cols = range.width().max(1);
            let rows = cells.div_ceil(cols);
            format!("{name}:{rows}:{cols}")
        })
        .collect::<Vec<_>>()
        .join(",");
    (shape, total)
}

/// Read every record of a CSV (the csv crate, no field converted): what
/// reading a visit file costs before anything is made of it.
fn floor_csv(input: &Path) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(input)
        .expect("the CSV opens");
    let mut record = csv::ByteRecord::new();
    let mut fields = 0usize;
    while reader.read_byte_record(&mut record).expect("a record") {
        fields += record.len();
    }
    assert!(fields > 0);
}

// ---------------------------------------------------------------------------
// Visits (issue 23)

/// The people of the visit files: `P0000`... with a bundle of 10 hours.
const VISIT_PEOPLE: usize = 1_000;

/// An Abacus service-delivery CSV of `n` visits to [`VISIT_PEOPLE`] people
/// over the 91 days from 06/04/2026: person by person, day by day, each
/// person's visits 45 minutes apart from 06:00 by their own carer (so no
/// duplicates or overlaps), lasting 15 to 45 minutes, one in ten by two
/// carers, one in fifty cancelled.
fn visits_csv(n: usize, path: &Path) {
    use std::io::Write as _;
    if path.exists() {
        return;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("a file"));
    writeln!(
        out,
        "FileReference,Description,Created,ProviderRef,ContractNumber,ServiceUserRef,ServiceUserDetails,WeekEnding,OurRef,ServiceUserContribution,PaymentClaimed,ServiceType,VisitDate,StartTimeClaimed,DurationClaimed,ActualStartTime,ActualDuration,SecondaryVisit,NumberOfCarers,OrderRef,ManuallyAmended,VisitCode,CareWorkerRef,CareWorkerName"
    )
    .expect("written");
    let mut rng = Lcg(n as u64);
    let first = chrono::NaiveDate::from_ymd_opt(2026, 4, 6).expect("a date");
    for i in 0..n {
        let person = i % VISIT_PEOPLE;
        let slot = i / VISIT_PEOPLE;
        let day = first + chrono::Duration::days((slot % 91) as i64);
        let minutes_in = 6 * 60 + 45 * (slot / 91) as i64;
        let start = format!("{:02}:{:02}:00", minutes_in / 60 % 24, minutes_in % 60);
        let length = rng.pick(&[15, 30, 30, 45]);
        let duration = format!("00:{length:02}:00");
        let carers = if rng.below(10) == 0 { 2 } else { 1 };
        let code = if rng.below(50) == 0 { "CANCELLED" } else { "" };
        let week_ending = day
            + chrono::Duration::days(6 - i64::from(chrono::Datelike::weekday(&day).num_days_from_monday()));
        writeln!(
            out,
            "F1,Home care,01/07/2026,SUP00123,C1,P{person:04},Person {person},{},R{i},0,0,HC,{},{start},{duration},{start},{duration},False,{carers},O{person},False,{code},CW{person:04},Carer {person}",
            week_ending.format("%d/%m/%Y"),
            day.format("%d/%m/%Y"),
        )
        .expect("written");
    }
    out.flush().expect("written");
}

/// The blank return of the visits' people, written by `yourchoice
/// template`.
fn visits_blank(tool: &str, dir: &Path) -> PathBuf {
    use std::fmt::Write as _;
    let blank = dir.join("visits-blank.xlsx");
    if blank.exists() {
        return blank;
    }
    let people = dir.join("visits-people.csv");
    let mut s = String::from("Person ID,Name,Weekly bundle\n");
    for p in 0..VISIT_PEOPLE {
        writeln!(s, "P{p:04},Person {p},10:00").expect("a String");
    }
    std::fs::write(&people, s).expect("written");
    let status = Command::new(tool)
        .args([
            "template",
            "--provider-ref",
            "SUP00123",
            "--period-start",
            "2026-04-06",
        ])
        .args(["--rate", "24.00", "--people"])
        .arg(&people)
        .arg("-o")
        .arg(&blank)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("template runs");
    assert!(status.success(), "the blank is written");
    blank
}

/// Issue 23's cases: for each number of visits, the CSV floor, `fill`, and
/// the analyst's pandas script.
fn fill_bench(tool: &str, dir: &Path, sizes: &[usize], runs: usize) {
    let me = std::env::current_exe()
        .expect("this program")
        .display()
        .to_string();
    let pandas = Command::new("python3")
        .args(["-c", "import pandas, openpyxl"])
        .status()
        .is_ok_and(|s| s.success());
    if !pandas {
        println!(
            "(pandas or openpyxl is not installed: `pip install pandas openpyxl` to time an analyst's script too)"
        );
    }
    let blank = visits_blank(tool, dir);
    for &n in sizes {
        let visits = dir.join(format!("visits-{n}.csv"));
        visits_csv(n, &visits);
        let s = |p: &Path| p.display().to_string();
        let mut cases = vec![
            Case {
                what: "CSV floor (the csv crate reads every record)".into(),
                cmd: vec![me.clone(), "floor-csv".into(), s(&visits)],
                against: None,
            },
            case(
                "fill: read, summed, the return written and checked",
                vec![
                    tool.into(),
                    "fill".into(),
                    s(&blank),
                    "--visits".into(),
                    s(&visits),
                    "-o".into(),
                    s(&dir.join("visits-filled.xlsx")),
                    "--force".into(),
                ],
                move |m| {
                    let (x, floor) = (m.of("fill"), m.of("CSV floor"));
                    format!(
                        "{:.1}x CSV floor; {:.0} bytes of peak memory a visit",
                        x.seconds / floor.seconds,
                        x.mib * 1_048_576.0 / n as f64
                    )
                },
            ),
        ];
        if pandas {
            cases.push(case(
                "an analyst's pandas script",
                vec![
                    "python3".into(),
                    concat!(env!("CARGO_MANIFEST_DIR"), "/benches/analyst_visits.py").into(),
                    s(&visits),
                    "2026-04-06".into(),
                    s(&dir.join("visits-analyst.xlsx")),
                ],
                |m| {
                    let script = m.of("an analyst's pandas");
                    format!(
                        "the script takes {:.2}x fill's time (goal 5x)",
                        script.seconds / m.of("fill").seconds
                    )
                },
            ));
        }
        let medians = measure_cases(&cases, runs);
        println!(
            "{n} visits ({} KiB CSV)",
            std::fs::metadata(&visits).map_or(0, |m| m.len() / 1024)
        );
        print_cases(&cases, &medians);
    }
}

/// Run each case `runs` times, interleaved (so a slow moment of the
/// machine touches each); their medians.
fn measure_cases(cases: &[Case], runs: usize) -> Medians {
    let mut results: Vec<Vec<Sample>> = vec![Vec::new(); cases.len()];
    for _ in 0..runs {
        for (i, c) in cases.iter().enumerate() {
            results[i].push(sample(&c.cmd));
        }
    }
    Medians(
        cases
            .iter()
            .zip(&results)
            .map(|(c, r)| {
                (
                    c.what.clone(),
                    Sample {
                        seconds: median(r.iter().map(|s| s.seconds).collect()),
                        mib: median(r.iter().map(|s| s.mib).collect()),
                    },
                )
            })
            .collect(),
    )
}

fn print_cases(cases: &[Case], medians: &Medians) {
    for (c, (_, m)) in cases.iter().zip(&medians.0) {
        let against = c.against.as_ref().map_or_else(String::new, |f| f(medians));
        println!(
            "  {:<62} {:>8.3} s {:>8.1} MiB  {against}",
            c.what, m.seconds, m.mib
        );
    }
    println!();
}

// ---------------------------------------------------------------------------
// Measuring

/// Run the command given; print its wall time (ns), its peak resident
/// memory (KiB, `ru_maxrss` of this process's only child) and its exit
/// code.
fn measure(cmd: &[String]) {
    let start = Instant::now();
    let status = Command::new(&cmd[0])
        .args(&cmd[1..])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("the command runs");
    let wall = start.elapsed().as_nanos();
    // SAFETY: getrusage writes into the struct we give it.
    let rss = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &raw mut usage);
        usage.ru_maxrss
    };
    println!("{wall} {rss} {}", status.code().unwrap_or(-1));
}

#[derive(Clone, Copy, Debug)]
struct Sample {
    seconds: f64,
    mib: f64,
}

fn sample(cmd: &[String]) -> Sample {
    let me = std::env::current_exe().expect("this program");
    let out = Command::new(me)
        .arg("measure")
        .args(cmd)
        .output()
        .expect("measured");
    let text = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(fields.len(), 3, "{text} {}", String::from_utf8_lossy(&out.stderr));
    let code: i32 = fields[2].parse().unwrap_or(-1);
    assert!(code == 0 || code == 1, "{cmd:?} exited {code}");
    Sample {
        seconds: fields[0].parse::<f64>().unwrap_or(0.0) / 1e9,
        mib: fields[1].parse::<f64>().unwrap_or(0.0) / 1024.0,
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// How a case's median is read against the others'.
type Against = Box<dyn Fn(&Medians) -> String>;

/// One command timed, and how its median is read against the others'
/// (`None`: printed on its own).
struct Case {
    what: String,
    cmd: Vec<String>,
    against: Option<Against>,
}

/// The medians of a size's cases, by the case's name.
struct Medians(Vec<(String, Sample)>);

impl Medians {
    fn of(&self, what: &str) -> Sample {
        self.0
            .iter()
            .find(|(w, _)| w.starts_with(what))
            .map(|(_, s)| *s)
            .expect("a case measured")
    }
}

fn case(what: impl Into<String>, cmd: Vec<String>, against: impl Fn(&Medians) -> String + 'static) -> Case {
    Case {
        what: what.into(),
        cmd,
        against: Some(Box::new(against)),
    }
}

fn bench(args: &[String]) {
    let mut sizes = vec![100usize, 1_000, 10_000, 50_000];
    let mut runs = 5usize;
    // `--only council`: the floors and the council files' cases (issue 22),
    // for sizes where the whole bench would take long.
    let mut only_council = false;
    // `--only fill`: issue 23's visits alone.
    let mut only_fill = false;
    // `--only letters`: issue 24's letters alone.
    let mut only_letters = false;
    let mut visit_sizes = vec![1_000usize, 100_000, 1_000_000];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sizes" => {
                sizes = it
                    .next()
                    .expect("--sizes N,N")
                    .split(',')
                    .map(|s| s.trim().parse().expect("a number of people"))
                    .collect();
            }
            "--runs" => runs = it.next().and_then(|r| r.parse().ok()).expect("--runs N"),
            "--visits" => {
                visit_sizes = it
                    .next()
                    .expect("--visits N,N")
                    .split(',')
                    .map(|s| s.trim().parse().expect("a number of visits"))
                    .collect();
            }
            "--only" => match it.next().map(String::as_str) {
                Some("council") => only_council = true,
                Some("fill") => only_fill = true,
                Some("letters") => only_letters = true,
                _ => panic!("--only council, fill or letters"),
            },
            other => {
                panic!("unknown argument {other}: --sizes N,N --visits N,N --runs N --only council|fill")
            }
        }
    }
    let tool: &str = env!("CARGO_BIN_EXE_yourchoice");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("perf");
    std::fs::create_dir_all(&dir).expect("a folder");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if only_letters {
        println!(
            "yourchoice {} on {cores} cores; medians of {runs} runs; each run a fresh process\n",
            env!("CARGO_PKG_VERSION")
        );
        letters_bench(tool, &dir, &sizes, runs);
        return;
    }
    if only_fill {
        println!(
            "yourchoice {} on {cores} cores; medians of {runs} runs; each run a fresh process\n",
            env!("CARGO_PKG_VERSION")
        );
        fill_bench(tool, &dir, &visit_sizes, runs);
        return;
    }
    let analyst = !only_council
        && Command::new("python3")
            .args(["-c", "import openpyxl"])
            .status()
            .is_ok_and(|s| s.success());
    if !analyst && !only_council {
        println!("(openpyxl is not installed: `pip install openpyxl` to time an analyst's script too)");
    }
    println!(
        "yourchoice {} on {cores} cores; medians of {runs} runs; each run a fresh process\n",
        env!("CARGO_PKG_VERSION")
    );
    for n in sizes {
        let input = dir.join(format!("return-{n}.xlsx"));
        if !input.exists() {
            submission(n, "SUP00123", &input);
        }
        let report = dir.join(format!("return-{n}.report.xlsx"));
        let floor_out = dir.join("floor.xlsx");
        let s = |p: &Path| p.display().to_string();
        let me = s(&std::env::current_exe().expect("this program"));
        let full: Vec<String> = vec![
            tool.into(),
            "reconcile".into(),
            s(&input),
            "--json".into(),
            "-o".into(),
            s(&report),
            "--force".into(),
        ];
        let shape = if only_council {
            // The report floor only where the report is timed.
            None
        } else {
            sample(&full);
            Some(shape(&report))
        };
        let mut cases: Vec<Case> = vec![Case {
            what: "input floor".into(),
            cmd: vec![me.clone(), "floor-input".into(), s(&input), s(&floor_out)],
            against: None,
        }];
        let json: Vec<String> = vec![
            tool.into(),
            "reconcile".into(),
            s(&input),
            "--json".into(),
            "--no-report".into(),
        ];
        if let Some((shape, cells)) = shape {
            // Four providers' returns (one provider's four would be refused
            // as duplicates).
            let copies: Vec<PathBuf> = (1..=4)
                .map(|k| {
                    let copy = dir.join(format!("return-{n}-{k}.xlsx"));
                    if !copy.exists() {
                        submission(n, leak(format!("SUP0090{k}")), &copy);
                    }
                    copy
                })
                .collect();
            let four_dir = dir.join("four");
            std::fs::create_dir_all(&four_dir).expect("a folder");
            let mut four: Vec<String> = vec![tool.into(), "reconcile".into()];
            four.extend(copies.iter().map(|c| s(c)));
            four.extend(["--json".into(), "-o".into(), s(&four_dir), "--force".into()]);
            cases.push(Case {
                what: format!("report floor ({cells} cells)"),
                cmd: vec![me.clone(), "floor-report".into(), s(&input), shape, s(&floor_out)],
                against: None,
            });
            cases.push(case("reconcile --json --no-report", json.clone(), |m| {
                let (x, floor) = (m.of("reconcile --json --no-report"), m.of("input floor"));
                format!(
                    "{:.2}x input floor (goal 1.1x); memory {:.2}x (goal 2x)",
                    x.seconds / floor.seconds,
                    x.mib / floor.mib
                )
            }));
            cases.push(case("reconcile --json, with the report", full, |m| {
                let x = m.of("reconcile --json, with the report");
                format!(
                    "{:.2}x report floor (goal 1.5x); memory {:.2}x input floor (goal 2x)",
                    x.seconds / m.of("report floor").seconds,
                    x.mib / m.of("input floor").mib
                )
            }));
            cases.push(case("four files in one reconcile", four, move |m| {
                format!(
                    "{:.2}x one file (goal about 4/{cores} = {:.1}x)",
                    m.of("four files").seconds / m.of("reconcile --json, with the report").seconds,
                    4.0 / cores as f64
                )
            }));
            // The four returns recorded in a new ledger, to time its check
            // (the schema, SQLite's integrity, every link of the hash chain).
            let ledger = dir.join(format!("ledger-{n}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", ledger.display()));
            }
            let mut record: Vec<String> = vec![tool.into(), "reconcile".into()];
            record.extend(copies.iter().map(|c| s(c)));
            record.extend([
                "--no-report".into(),
                "--quiet".into(),
                "--officer".into(),
                "Bench".into(),
            ]);
            record.extend(["--ledger".into(), s(&ledger), "--new-ledger".into()]);
            sample(&record);
            cases.push(case(
                "ledger verify (the four recorded)",
                vec![
                    tool.into(),
                    "ledger".into(),
                    "verify".into(),
                    "--ledger".into(),
                    s(&ledger),
                ],
                move |_| format!("{} people on record (goal well under 1 s)", 4 * n),
            ));
            // A council analyst's openpyxl script, where openpyxl is
            // installed.
            if analyst {
                cases.push(case(
                    "an analyst's openpyxl script",
                    vec![
                        "python3".into(),
                        concat!(env!("CARGO_MANIFEST_DIR"), "/benches/analyst.py").into(),
                        s(&input),
                        s(&dir.join("analyst.xlsx")),
                    ],
                    |m| {
                        let script = m.of("an analyst's");
                        format!(
                            "the tool with its report is {:.1}x faster (goal 5x); without it {:.1}x",
                            script.seconds / m.of("reconcile --json, with the report").seconds,
                            script.seconds / m.of("reconcile --json --no-report").seconds
                        )
                    },
                ));
            }
        }
        // Issue 22: the council's files of the same people, a plan and a
        // decision for each, and a template listing them all.
        let (toml, decisions) = council_files(n, &dir.join(format!("council-{n}")));
        let people = dir.join(format!("people-{n}.csv"));
        people_csv(n, &people);
        let mut council = json;
        council.extend(["--council".into(), s(&toml), "--decisions".into(), s(&decisions)]);
        cases.push(case(
            format!("reconcile --json --no-report, {n} plans and {n} decisions"),
            council,
            |m| {
                let (x, floor) = (m.of("reconcile --json --no-report, "), m.of("input floor"));
                format!(
                    "{:.2}x input floor; memory {:.2}x",
                    x.seconds / floor.seconds,
                    x.mib / floor.mib
                )
            },
        ));
        cases.push(case(
            format!("template of {n} people"),
            vec![
                tool.into(),
                "template".into(),
                "--provider-ref".into(),
                "SUP00123".into(),
                "--provider-name".into(),
                "Bro Morgannwg Home Care Ltd".into(),
                "--period-start".into(),
                "2026-04-06".into(),
                "--rate".into(),
                "24.85".into(),
                "--people".into(),
                s(&people),
                "-o".into(),
                s(&dir.join("template.xlsx")),
                "--force".into(),
            ],
            |m| {
                let (x, floor) = (m.of("template of"), m.of("input floor"));
                format!(
                    "{:.2}x input floor (it writes the workbook and reads it back); memory {:.2}x",
                    x.seconds / floor.seconds,
                    x.mib / floor.mib
                )
            },
        ));
        let medians = measure_cases(&cases, runs);
        println!(
            "{n} people ({} KiB input)",
            std::fs::metadata(&input).map_or(0, |m| m.len() / 1024)
        );
        print_cases(&cases, &medians);
    }
    if !only_council {
        fill_bench(tool, &dir, &visit_sizes, runs);
        letters_bench(tool, &dir, &[6_000], runs);
    }
}

/// Issue 24: the letters of a return of `n` people (one in six charged, so
/// 6,000 people give about 1,000 statements, with the remittance advice
/// and a hold notice for each referral), against reconciling the same
/// return alone: what the letters add is the typesetting.
fn letters_bench(tool: &str, dir: &Path, sizes: &[usize], runs: usize) {
    let s = |p: &Path| p.display().to_string();
    for &n in sizes {
        let input = dir.join(format!("return-{n}.xlsx"));
        if !input.exists() {
            submission(n, "SUP00123", &input);
        }
        let (toml, _) = council_files(n, &dir.join(format!("council-{n}")));
        let out = dir.join(format!("letters-{n}"));
        let letters: Vec<String> = vec![
            tool.into(),
            "letters".into(),
            s(&input),
            "--council".into(),
            s(&toml),
            "--date".into(),
            "2026-08-03".into(),
            "-o".into(),
            s(&out),
            "--force".into(),
        ];
        sample(&letters);
        let count = std::fs::read_dir(&out).map_or(0, |d| d.count().saturating_sub(1));
        let cases = vec![
            Case {
                what: "reconcile --json --no-report, with the council's files".into(),
                cmd: vec![
                    tool.into(),
                    "reconcile".into(),
                    s(&input),
                    "--council".into(),
                    s(&toml),
                    "--json".into(),
                    "--no-report".into(),
                ],
                against: None,
            },
            case(
                format!("letters: {count} letters and letters.pdf"),
                letters,
                move |m| {
                    let (x, floor) = (m.of("letters:"), m.of("reconcile --json --no-report, with"));
                    format!(
                        "{:.1} ms a letter; {:.2}x the reconciliation alone; memory {:.2}x",
                        x.seconds * 1000.0 / count.max(1) as f64,
                        x.seconds / floor.seconds,
                        x.mib / floor.mib
                    )
                },
            ),
        ];
        let medians = measure_cases(&cases, runs);
        println!("{n} people, {count} letters");
        print_cases(&cases, &medians);
    }
}
