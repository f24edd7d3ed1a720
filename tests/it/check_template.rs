//! `yourchoice check` and `yourchoice template`: every broken fixture through
//! `check`, the wording of a few messages, and a template round trip (write,
//! read back, fill the cells, reconcile).

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

use crate::common::bin::{run, yourchoice};
use crate::common::files::{example, fixtures};

#[test]
fn every_broken_fixture_through_check() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("broken-") && name.ends_with(".xlsx")) {
            continue;
        }
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(path.with_file_name(name.replace(".xlsx", ".expected.json"))).unwrap(),
        )
        .unwrap();
        let (code, stdout, _) = run(&["check".as_ref(), path.as_os_str()]);
        let want_code = if expected["status"] == "rejected" { 1 } else { 0 };
        assert_eq!(code, Some(want_code), "{name}: exit code\n{stdout}");
        for f in expected["findings_include"].as_array().unwrap() {
            let head = format!(
                "{}[{}]",
                f["severity"].as_str().unwrap(),
                f["code"].as_str().unwrap()
            );
            let line = match f["cell"].as_str() {
                Some(cell) => format!("{head} {cell}: "),
                None => format!("{head} "),
            };
            assert!(
                stdout.contains(&line),
                "{name}: no line starting {line:?} in\n{stdout}"
            );
        }
        // The closing line says what to do next.
        let last = stdout.lines().last().unwrap_or_default();
        if want_code == 1 {
            assert!(last.contains("Not ready to submit"), "{name}: {last}");
        } else {
            assert!(last.contains("Ready to submit"), "{name}: {last}");
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} broken fixtures");
}

#[test]
fn messages_say_what_to_do() {
    let f = fixtures();
    let (_, blank, _) = run(&["check".as_ref(), f.join("broken-blank.xlsx").as_os_str()]);
    assert!(
        blank.contains("is blank, but the person was in care that week. Enter the hours delivered, or 0 if no care was provided."),
        "{blank}"
    );
    let (_, text, _) = run(&["check".as_ref(), f.join("broken-text.xlsx").as_os_str()]);
    assert!(text.contains("error[bad-hours] Hours!M4: "), "{text}");
    assert!(
        text.contains("\"7 hrs\""),
        "the message quotes what was typed: {text}"
    );
    assert!(text.contains("as a number (7.5) or as h:mm (7:30)"), "{text}");
    let (_, monday, _) = run(&["check".as_ref(), f.join("broken-not-monday.xlsx").as_os_str()]);
    assert!(monday.contains("01/02/2026, a Sunday"), "{monday}");
    assert!(monday.contains("Enter the date of the Monday"), "{monday}");
    let (_, missing, _) = run(&["check".as_ref(), f.join("broken-missing-week.xlsx").as_os_str()]);
    assert!(missing.contains("add \"Week 11\""), "{missing}");
}

#[test]
fn check_json_has_the_spec_finding_shape() {
    let (code, stdout, _) = run(&[
        "check".as_ref(),
        fixtures().join("broken-negative.xlsx").as_os_str(),
        "--json".as_ref(),
    ]);
    assert_eq!(code, Some(1));
    let doc: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(doc["status"], "rejected");
    let negative = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "negative")
        .unwrap();
    assert_eq!(negative["severity"], "error");
    assert_eq!(negative["cell"], "Hours!H7");
    assert!(negative["message"].as_str().unwrap().contains("negative"));
    assert!(negative.get("person_id").is_some());
}

/// Write a template for two people: P0001 in care all period, P0002 from
/// Monday 18/05/2026 (week 7).
fn write_template(dir: &Path) -> PathBuf {
    let people = dir.join("people.csv");
    std::fs::write(
        &people,
        "Person ID,Name,Weekly bundle,Assessed weekly charge,Care start\n\
         P0001,Gwen Hughes,10,100,\n\
         P0002,Dafydd Rees,7:30,,18/05/2026\n",
    )
    .unwrap();
    let out = dir.join("return.xlsx");
    yourchoice()
        .args([
            "template",
            "--provider-ref",
            "SUP00123",
            "--provider-name",
            "Example Care Ltd",
        ])
        .args(["--period-start", "2026-04-06", "--rate", "24.85", "--people"])
        .arg(&people)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    out
}

#[test]
fn a_blank_template_gives_one_missing_hours_per_person_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());
    let (code, stdout, _) = run(&["check".as_ref(), template.as_os_str(), "--json".as_ref()]);
    assert_eq!(code, Some(1));
    let doc: Value = serde_json::from_str(stdout.trim()).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    // P0001: 13 care weeks (row 4, G..S), from G4; P0002: weeks 7-13 (row
    // 5, M..S), from M5. One finding each over its blank weeks (issue 23).
    let mut found: Vec<(String, String)> = findings
        .iter()
        .map(|f| {
            assert_eq!(f["code"], "missing-hours", "{findings:?}");
            (
                f["cell"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "Hours!G4");
    assert!(
        found[0]
            .1
            .contains("weeks 1-13 (w/c 06/04/2026 to w/c 29/06/2026) are blank"),
        "{}",
        found[0].1
    );
    assert_eq!(found[1].0, "Hours!M5");
    assert!(
        found[1]
            .1
            .contains("weeks 7-13 (w/c 18/05/2026 to w/c 29/06/2026) are blank"),
        "{}",
        found[1].1
    );
}

#[test]
fn a_filled_in_template_reconciles() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());

    // Read the template back and copy every cell into a new workbook, filling
    // the blank care weeks: P0001 10 h a week, P0002 8 h a week.
    let mut wb: Xlsx<_> = open_workbook(&template).unwrap();
    assert_eq!(wb.sheet_names(), ["Instructions", "Details", "Hours"]);
    let mut out = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for sheet in ["Details", "Hours"] {
        let range = wb.worksheet_range(sheet).unwrap();
        let ws = out.add_worksheet().set_name(sheet).unwrap();
        let header = range.rows().position(|r| r[0] == "Person ID");
        let total_col = header.and_then(|h| range.rows().nth(h).unwrap().iter().position(|c| *c == "Total"));
        for (r, c, cell) in range.used_cells() {
            let (row, col) = (r as u32, c as u16);
            if sheet == "Hours" && Some(c) == total_col {
                continue; // a formula: its cached value is not the sum
            }
            match cell {
                Data::String(s) => ws.write_string(row, col, s).map(|_| ()).unwrap(),
                Data::Float(f) => ws.write_number(row, col, *f).map(|_| ()).unwrap(),
                Data::Int(i) => ws.write_number(row, col, *i as f64).map(|_| ()).unwrap(),
                Data::DateTime(d) => ws
                    .write_number_with_format(row, col, d.as_f64(), &date)
                    .map(|_| ())
                    .unwrap(),
                _ => {}
            }
        }
        if sheet == "Hours" {
            for col in 6..=18u16 {
                ws.write_number(3, col, 10.0).unwrap();
                if col >= 12 {
                    ws.write_string(4, col, "8:00").unwrap();
                }
            }
        }
    }
    let filled = dir.path().join("filled.xlsx");
    out.save(&filled).unwrap();

    let (code, stdout, stderr) = run(&[
        "reconcile".as_ref(),
        filled.as_os_str(),
        "--json".as_ref(),
        "--no-report".as_ref(),
    ]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let doc: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(doc["status"], "reconciled");
    let p1 = &doc["people"][0];
    assert_eq!(p1["person_id"], "P0001");
    assert_eq!(p1["commissioned_hours"], "130");
    assert_eq!(p1["settlement"]["amount"], "0.00");
    // P0002: 7 weeks of 7.5 h commissioned = 52.5; 8 h delivered = 56;
    // V = +3.5 within T = 4.2; settlement 3.5 × £24.85 = £86.975 -> £86.98.
    let p2 = &doc["people"][1];
    assert_eq!(p2["billable_weeks"], serde_json::json!([7, 8, 9, 10, 11, 12, 13]));
    assert_eq!(p2["commissioned_hours"], "52.5");
    assert_eq!(p2["tolerance_hours"], "4.2");
    assert_eq!(p2["status"], "within_tolerance");
    assert_eq!(p2["settlement"]["amount"], "86.98");
    assert_eq!(doc["totals"]["authorised"], "86.98");
}

#[test]
fn template_refuses_a_period_start_that_is_not_a_monday() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(&[
        "template".as_ref(),
        "--provider-ref".as_ref(),
        "SUP1".as_ref(),
        "--period-start".as_ref(),
        "2026-04-07".as_ref(),
        "-o".as_ref(),
        dir.path().join("t.xlsx").as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("Tuesday"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "a file was left behind"
    );
}

/// The template applies the same limits as `check`: a 500-hour bundle or a
/// negative charge in the people CSV is refused (exit 2, naming the file and
/// line), so the council never sends a template that `check` then rejects.
#[test]
fn template_refuses_what_check_would_reject() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "P1,Ann,500\n",
            "people.csv:2: the weekly bundle must be a number of hours more than 0 and at most 168",
        ),
        (
            "P1,Ann,10\nP2,Bob,0\n",
            "people.csv:3: the weekly bundle must be a number of hours more than 0",
        ),
        (
            "P1,Ann,10,-5\n",
            "people.csv:2: the assessed weekly charge \"-5\" is not an amount in £",
        ),
    ];
    for (rows, expected) in cases {
        let people = dir.path().join("people.csv");
        std::fs::write(
            &people,
            format!("Person ID,Name,Weekly bundle,Assessed weekly charge\n{rows}"),
        )
        .unwrap();
        let out = dir.path().join("t.xlsx");
        let (code, _, stderr) = run(&[
            "template".as_ref(),
            "--provider-ref".as_ref(),
            "SUP1".as_ref(),
            "--period-start".as_ref(),
            "2026-04-06".as_ref(),
            "--people".as_ref(),
            people.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(code, Some(2), "{rows}");
        assert!(stderr.contains(expected), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(!out.exists());
    }
}

/// `--color always` colours the finding heads even when piped; the default
/// (auto) and `--color never` do not, and neither does NO_COLOR.
#[test]
fn colour_is_one_decision() {
    let file = example("return-with-error.xlsx");
    let with = |args: &[&str], no_color: bool| {
        let mut cmd = yourchoice();
        cmd.arg("check").arg(&file).args(args);
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    let coloured = with(&["--color", "always"], false);
    assert!(
        coloured.contains("\u{1b}[1m\u{1b}[31merror[bad-hours]\u{1b}[0m"),
        "{coloured:?}"
    );
    for plain in [
        with(&[], false),
        with(&["--color", "never"], false),
        with(&[], true),
    ] {
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
        assert!(plain.starts_with("error[bad-hours] Hours!N4:"), "{plain:?}");
    }
}

/// The text of the parts of an `.xlsx` whose names contain `name`.
fn zip_part(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        if file.name().unwrap().contains(name) {
            file.read_to_string(&mut text).unwrap();
        }
    }
    text
}

/// The XML element of a cell (`<c r="T4" ...>...</c>`), or "" if absent.
fn cell_xml<'a>(sheet: &'a str, cell: &str) -> &'a str {
    let Some(start) = sheet.find(&format!("<c r=\"{cell}\"")) else {
        return "";
    };
    let rest = &sheet[start..];
    let open = rest.find('>').unwrap_or(rest.len() - 1);
    let end = if rest[..open].ends_with('/') {
        open + 1
    } else {
        rest.find("</c>").map_or(rest.len(), |e| e + 4)
    };
    &rest[..end]
}

/// The number format of a cell: its style's `numFmt` code.
fn cell_number_format(book: &Path, sheet: &str, cell: &str) -> String {
    let xml = cell_xml(sheet, cell);
    let style: usize = xml
        .split("s=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let styles = zip_part(book, "styles.xml");
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    let xf = xfs.split("<xf ").nth(style + 1).unwrap();
    let id = xf.split("numFmtId=\"").nth(1).unwrap().split('"').next().unwrap();
    styles
        .split("<numFmt ")
        .find(|f| f.starts_with(&format!("numFmtId=\"{id}\"")))
        .and_then(|f| f.split("formatCode=\"").nth(1))
        .map(|f| f.split('"').next().unwrap().replace("&quot;", "\""))
        .unwrap_or_else(|| format!("built-in {id}"))
}

/// The template catches mistakes in the spreadsheet as the provider types
/// (conditional formats, no tool needed): a care week left blank once the
/// row has hours, a week over 3x the bundle, a Total typed over; and the
/// Instructions sheet explains each colour.
#[test]
fn the_template_marks_mistakes_as_the_provider_types() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());
    let hours = zip_part(&template, "worksheets/sheet3.xml");
    // Two people and 20 spare rows: rows 4 to 25; weeks in G:S, Total in T.
    let rules = |sqref: &str| -> String {
        hours
            .split("<conditionalFormatting ")
            .find(|cf| cf.starts_with(&format!("sqref=\"{sqref}\"")))
            .unwrap_or_else(|| panic!("no conditional format on {sqref}"))
            .replace("&gt;", ">")
            .replace("&lt;", "<")
    };
    let weeks = rules("G4:S25");
    // Blank in the care dates (the week's date in row 2 against Care start
    // in E and Care end in F) while the row has a figure.
    assert!(
        weeks.contains("AND(ISBLANK(G4),COUNT($G4:$S4)>0,OR($E4=\"\",G$2+6>=$E4),OR($F4=\"\",G$2<=$F4))"),
        "{weeks}"
    );
    assert!(weeks.contains("G4>3*$C4"), "{weeks}");
    let total = rules("T4:T25");
    assert!(total.contains("ABS($T4-SUM($G4:$S4))>0.005"), "{total}");

    let mut wb: Xlsx<_> = open_workbook(&template).unwrap();
    let instructions = wb.worksheet_range("Instructions").unwrap();
    let text: Vec<String> = instructions.rows().map(|r| r[0].to_string()).collect();
    for colour in ["Yellow:", "Grey:", "Red:", "Orange:", "Purple:"] {
        assert!(
            text.iter().any(|t| t.starts_with(colour)),
            "no legend line for {colour}: {text:?}"
        );
    }
    // Each legend line is filled with its colour: the fills of the rules
    // are the fills of the legend.
    let styles = zip_part(&template, "styles.xml");
    for rgb in ["FFFF9E9E", "FFF4B084", "FFC9B6E4"] {
        assert_eq!(
            styles.matches(rgb).count(),
            2,
            "{rgb}: a rule's fill and its legend's"
        );
    }
}

/// The Total shows nothing until hours are entered, and stays a number: a
/// `SUM` shown blank at 0 (not `IF(...,"",...)`, whose empty text a
/// spreadsheet saves as an empty cached value that `check` reads as a
/// formula never calculated).
#[test]
fn the_template_total_is_blank_until_hours_are_entered() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());
    let hours = zip_part(&template, "worksheets/sheet3.xml");
    for cell in ["T4", "T25"] {
        let xml = cell_xml(&hours, cell);
        assert!(xml.contains("<f>SUM("), "{xml}");
        assert!(xml.ends_with("<v>0</v></c>"), "{xml}");
        // Nothing shown for 0.
        assert_eq!(cell_number_format(&template, &hours, cell), "0.00;-0.00;;@");
    }
    // Two decimals once a week of the row has hours.
    assert!(hours.contains("<formula>COUNT($G4:$S4)&gt;0</formula>"));
}

/// Instructions on one A4 portrait page; Hours columns as wide as their
/// content, not as the title in row 1.
#[test]
fn the_template_prints_and_fits_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());
    let instructions = zip_part(&template, "worksheets/sheet1.xml");
    assert!(instructions.contains("<pageSetUpPr fitToPage=\"1\"/>"));
    let setup = instructions.split("<pageSetup ").nth(1).unwrap();
    assert!(setup.contains("orientation=\"portrait\""), "{setup}");
    assert!(setup.contains("paperSize=\"9\""), "{setup}");
    // One page wide (fitToWidth absent: 1), as tall as it is: its column
    // fits the page at 100% even in a fallback font 4/3 as wide (issue 26),
    // and its lines fill one page.
    assert!(setup.contains("fitToHeight=\"0\""), "{setup}");

    let hours = zip_part(&template, "worksheets/sheet3.xml");
    let width = |col: u32| -> f64 {
        hours
            .split("<col ")
            .skip(1)
            .find(|c| {
                let n = |k: &str| -> u32 {
                    c.split(k)
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap()
                        .parse()
                        .unwrap()
                };
                n("min=\"") <= col && col <= n("max=\"")
            })
            .and_then(|c| c.split("width=\"").nth(1))
            .and_then(|w| w.split('"').next())
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("no width for column {col}"))
    };
    let person_id = width(1);
    assert!((11.0..16.0).contains(&person_id), "Person ID {person_id}");
    assert!((21.0..30.0).contains(&width(2)), "Name {}", width(2));
    assert!(width(21) >= 40.0, "Notes {}", width(21));
}

/// LibreOffice, if installed: `soffice`. Missing in CI is a failure (the CI
/// script installs it), elsewhere a skip.
fn soffice() -> Option<&'static str> {
    let found = ["soffice", "libreoffice"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if found.is_none() {
        assert!(
            !ci,
            "LibreOffice is not installed and CI is set: .ci/run installs it (apt-get install libreoffice-calc-nogui)"
        );
        eprintln!("SKIPPED: LibreOffice is not installed (apt-get install libreoffice-calc-nogui)");
    }
    found
}

/// The real round trip: the template opened in LibreOffice, every formula
/// recalculated, saved as `.xlsx`, then checked: exactly what the template
/// gives (one `missing-hours` per person), no Total read as
/// uncalculated and no spare row read as a person.
#[test]
fn a_template_saved_by_libreoffice_checks_as_before() {
    let Some(soffice) = soffice() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path());
    // A profile that recalculates every formula on load, as Excel does.
    let profile = dir.path().join("home/.config/libreoffice/4/user");
    std::fs::create_dir_all(&profile).unwrap();
    std::fs::write(
        profile.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    let out = dir.path().join("saved");
    let status = std::process::Command::new(soffice)
        .args([
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(&out)
        .arg(&template)
        .env("HOME", dir.path().join("home"))
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let saved = out.join("return.xlsx");
    let json = |path: &Path| -> Vec<(String, String)> {
        let (_, stdout, _) = run(&["check".as_ref(), path.as_os_str(), "--json".as_ref()]);
        let doc: Value = serde_json::from_str(stdout.trim()).unwrap();
        let mut found: Vec<(String, String)> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["code"].as_str().unwrap().to_string(), f["cell"].to_string()))
            .collect();
        found.sort();
        found
    };
    let before = json(&template);
    assert!(
        before.iter().all(|(code, _)| code == "missing-hours"),
        "{before:?}"
    );
    assert_eq!(json(&saved), before);
}
