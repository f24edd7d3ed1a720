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
//! - four files in one `reconcile`, against four times one file.
//!
//! It prints medians of `--runs` runs (default 5) of wall time and of peak
//! memory (the child's `ru_maxrss`, read by a wrapper process that runs
//! only that child), and the ratios. Options:
//!
//!     cargo bench --bench perf -- --sizes 1000,10000 --runs 3
//!
//! The floors and the wrapper are this same program, run as a child with
//! `floor-input`, `floor-report` or `measure` as its first argument.

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
        _ => bench(&args),
    }
}

// ---------------------------------------------------------------------------
// The submissions

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A return of `n` people for the period from 06/04/2026, from provider
/// `reference`.
fn submission(n: usize, reference: &'static str, path: &Path) {
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
    let people: Vec<Row> = (0..n)
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
        .collect();
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

#[derive(Clone)]
struct Row4 {
    what: String,
    seconds: f64,
    mib: f64,
    against: String,
}

fn bench(args: &[String]) {
    let mut sizes = vec![100usize, 1_000, 10_000, 50_000];
    let mut runs = 5usize;
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
            other => panic!("unknown argument {other}: --sizes N,N --runs N"),
        }
    }
    let tool: &str = env!("CARGO_BIN_EXE_yourchoice");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("perf");
    std::fs::create_dir_all(&dir).expect("a folder");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let analyst = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .status()
        .is_ok_and(|s| s.success());
    if !analyst {
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
        // Four providers' returns (one provider's four would be refused as
        // duplicates).
        let copies: Vec<PathBuf> = (1..=4)
            .map(|k| {
                let copy = dir.join(format!("return-{n}-{k}.xlsx"));
                if !copy.exists() {
                    submission(n, leak(format!("SUP0090{k}")), &copy);
                }
                copy
            })
            .collect();
        let report = dir.join(format!("return-{n}.report.xlsx"));
        let floor_out = dir.join("floor.xlsx");
        let four_dir = dir.join("four");
        std::fs::create_dir_all(&four_dir).expect("a folder");
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
        sample(&full);
        let (shape, cells) = shape(&report);
        let mut four: Vec<String> = vec![tool.into(), "reconcile".into()];
        four.extend(copies.iter().map(|c| s(c)));
        four.extend(["--json".into(), "-o".into(), s(&four_dir), "--force".into()]);
        let cases: Vec<(&str, Vec<String>)> = vec![
            (
                "input floor",
                vec![me.clone(), "floor-input".into(), s(&input), s(&floor_out)],
            ),
            (
                "report floor",
                vec![me.clone(), "floor-report".into(), s(&input), shape, s(&floor_out)],
            ),
            (
                "reconcile --json --no-report",
                vec![
                    tool.into(),
                    "reconcile".into(),
                    s(&input),
                    "--json".into(),
                    "--no-report".into(),
                ],
            ),
            ("reconcile --json, with the report", full),
            ("four files in one reconcile", four),
        ];
        // The four returns recorded in a new ledger, to time its check (the
        // schema, SQLite's integrity, every link of the hash chain).
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
        let mut cases = cases;
        cases.push((
            "ledger verify (the four recorded)",
            vec![
                tool.into(),
                "ledger".into(),
                "verify".into(),
                "--ledger".into(),
                s(&ledger),
            ],
        ));
        // A council analyst's openpyxl script, where openpyxl is installed.
        if analyst {
            cases.push((
                "an analyst's openpyxl script",
                vec![
                    "python3".into(),
                    concat!(env!("CARGO_MANIFEST_DIR"), "/benches/analyst.py").into(),
                    s(&input),
                    s(&dir.join("analyst.xlsx")),
                ],
            ));
        }
        let mut results: Vec<Vec<Sample>> = vec![Vec::new(); cases.len()];
        for _ in 0..runs {
            // Interleaved, so a slow moment of the machine touches each.
            for (i, (_, cmd)) in cases.iter().enumerate() {
                results[i].push(sample(cmd));
            }
        }
        let med: Vec<Sample> = results
            .iter()
            .map(|r| Sample {
                seconds: median(r.iter().map(|s| s.seconds).collect()),
                mib: median(r.iter().map(|s| s.mib).collect()),
            })
            .collect();
        let (input_floor, report_floor) = (med[0], med[1]);
        let row = |what: String, m: Sample, against: String| Row4 {
            what,
            seconds: m.seconds,
            mib: m.mib,
            against,
        };
        let rows = [
            row(cases[0].0.into(), med[0], String::new()),
            row(format!("{} ({cells} cells)", cases[1].0), med[1], String::new()),
            row(
                cases[2].0.into(),
                med[2],
                format!(
                    "{:.2}x input floor (goal 1.1x); memory {:.2}x (goal 2x)",
                    med[2].seconds / input_floor.seconds,
                    med[2].mib / input_floor.mib
                ),
            ),
            row(
                cases[3].0.into(),
                med[3],
                format!(
                    "{:.2}x report floor (goal 1.5x); memory {:.2}x input floor (goal 2x)",
                    med[3].seconds / report_floor.seconds,
                    med[3].mib / input_floor.mib
                ),
            ),
            row(
                cases[4].0.into(),
                med[4],
                format!(
                    "{:.2}x one file (goal about 4/{cores} = {:.1}x)",
                    med[4].seconds / med[3].seconds,
                    4.0 / cores as f64
                ),
            ),
        ];
        let mut rows = rows.to_vec();
        rows.push(row(
            cases[5].0.into(),
            med[5],
            format!("{} people on record (goal well under 1 s)", 4 * n),
        ));
        if let Some(script) = med.get(6) {
            rows.push(row(
                cases[6].0.into(),
                *script,
                format!(
                    "the tool with its report is {:.1}x faster (goal 5x); without it {:.1}x",
                    script.seconds / med[3].seconds,
                    script.seconds / med[2].seconds
                ),
            ));
        }
        println!(
            "{n} people ({} KiB input)",
            std::fs::metadata(&input).map_or(0, |m| m.len() / 1024)
        );
        for r in rows {
            println!(
                "  {:<44} {:>8.3} s {:>8.1} MiB  {}",
                r.what, r.seconds, r.mib, r.against
            );
        }
        println!();
    }
}
