//! `yourchoice letters` (issue 24), read back as a family and a provider
//! would read them: the PDFs go through `pdftotext` (poppler-utils, which
//! `.ci/run` installs) and every figure is checked against the one worked
//! out by hand below.
//!
//! The period: SUP00123, 13 weeks from Monday 6 April 2026, £24.00 an hour,
//! a maximum weekly charge of £80.00; each person assessed at £100 a week
//! where charged.
//!
//! | person | language | bundle | delivered | charged | cost | refund | settlement |
//! | --- | --- | --- | --- | --- | --- | --- | --- |
//! | P2 Siân Ŵyn | cy | 3 | 3,3,2×7,3×4 = 32 | min(80, 3×24=72) = 72 × 13 = 936.00 | 32×24 = 768.00 | 168.00 | −7 h (−17.95%): −168.00 held |
//! | P3 Gareth Price | en | 10 | 130 | min(80, 240) = 80 × 13 = 1,040.00 | 3,120.00 | 0.00 | 0.00 |
//! | P4 Llŷr Prys | blank | 4 | 39 | min(80, 96) = 80 × 13 = 1,040.00 | 936.00 | 104.00 | −13 h (−25%): −312.00 held |
//! | P5 Eirlys Morgan | - | 10 | 104 | not charged | | | −26 h (−20%): −624.00 held |
//! | P6 Bryn Jenkins | - | 10 | 136.5 | not charged | | | +6.5 h (5%): +156.00 |
//!
//! The provider is paid £156.00 by BACS (0.00 + 156.00); held −£1,104.00
//! (−168 − 312 − 624), three people, each with a hold notice.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::bin::yourchoice;
use crate::common::workbook::{Return, n, t};

const CHARGE: &str = "Assessed weekly charge";

fn the_return(dir: &Path) -> PathBuf {
    Return::empty()
        .column(t(CHARGE))
        .person("P2", "Sian Wyn", n(3.0), n(2.0))
        .weeks(
            "P2",
            [3.0, 3.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0],
        )
        .set("P2", CHARGE, n(100.0))
        .person("P3", "Gareth Price", n(10.0), n(10.0))
        .set("P3", CHARGE, n(100.0))
        .person("P4", "Llyr Prys", n(4.0), n(3.0))
        .set("P4", CHARGE, n(100.0))
        .person("P5", "Eirlys Morgan", n(10.0), n(8.0))
        .person("P6", "Bryn Jenkins", n(10.0), n(10.5))
        .save(dir, "return.xlsx")
}

/// council.toml and plans.csv: the plans give the names as the council
/// records them (Welsh letters included), the language and an address.
fn council(dir: &Path, extra: &str) -> PathBuf {
    std::fs::write(
        dir.join("plans.csv"),
        "Person ID,Provider reference,Weekly bundle,From,To,Name,Language,Address\n\
         P2,SUP00123,3,2026-04-06,,Siân Ŵyn,cy,\"1 Heol y Dŵr, Y Barri, CF62 1AA\"\n\
         P3,SUP00123,10,2026-04-06,,Gareth Price,en,\"2 High Street, Barry, CF63 4RU\"\n\
         P4,SUP00123,4,2026-04-06,,Llŷr Prys,,\n\
         P5,SUP00123,10,2026-04-06,,,,\n\
         P6,SUP00123,10,2026-04-06,,,,\n",
    )
    .unwrap();
    let path = dir.join("council.toml");
    std::fs::write(
        &path,
        format!(
            "plans = \"plans.csv\"\n\
             {extra}\n\
             [[max_weekly_charge]]\nfrom = \"2026-04-06\"\namount = \"80.00\"\n\n\
             [[provider]]\nreference = \"SUP00123\"\nname = \"Gofal Da Cyf\"\nlanguage = \"en\"\n\
             [[provider.rates]]\nfrom = \"2026-04-01\"\nrate = \"24.00\"\n"
        ),
    )
    .unwrap();
    path
}

/// `pdftotext -layout`, or `None` where poppler is not installed (a
/// failure under CI, where `.ci/run` installs it).
fn pdftotext(pdf: &Path) -> Option<String> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output();
    match out {
        Ok(out) if out.status.success() => Some(String::from_utf8(out.stdout).unwrap()),
        Ok(out) => panic!(
            "pdftotext failed on {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => {
            let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
            assert!(
                !ci,
                "pdftotext is not installed and CI is set: .ci/run installs poppler-utils"
            );
            eprintln!("skipped: pdftotext (poppler-utils) is not installed");
            None
        }
    }
}

fn pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// Whitespace folded, so a sentence wrapped over lines reads as one.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn make_letters(dir: &Path, extra: &str) -> PathBuf {
    make_letters_saying(dir, extra).0
}

/// `yourchoice letters --date 2026-08-03` with `dir`'s council.toml, on
/// `ret`, into `to`, with `extra` arguments after.
fn letters_run(dir: &Path, ret: &Path, to: &Path, extra: &[&std::ffi::OsStr]) -> std::process::Output {
    yourchoice()
        .args(["letters", "--date", "2026-08-03", "--council"])
        .arg(dir.join("council.toml"))
        .arg(ret)
        .arg("-o")
        .arg(to)
        .args(extra)
        .output()
        .unwrap()
}

/// As [`make_letters`], with what it said on stderr.
fn make_letters_saying(dir: &Path, extra: &str) -> (PathBuf, String) {
    let ret = the_return(dir);
    let council = council(dir, extra);
    assert!(council.exists());
    let out = dir.join("letters");
    let output = letters_run(dir, &ret, &out, &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (out, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn each_letter_is_written_and_says_what_was_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (out, said) = make_letters_saying(dir.path(), "");
    // What to check before posting: the council's name for P2 is not the
    // provider's, and P4's plan holds no address.
    assert!(
        said.contains("return.xlsx: the plans name P2 \"Siân Ŵyn\" and the return \"Sian Wyn\""),
        "{said}"
    );
    assert!(
        said.contains("1 statement has no address in the plans (P4)"),
        "{said}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "hold-SUP00123-P2.pdf",
            "hold-SUP00123-P4.pdf",
            "hold-SUP00123-P5.pdf",
            "letters.pdf",
            "remittance-SUP00123.pdf",
            "statement-SUP00123-P2.pdf",
            "statement-SUP00123-P3.pdf",
            "statement-SUP00123-P4.pdf",
        ]
    );
    let Some(welsh) = pdftotext(&out.join("statement-SUP00123-P2.pdf")) else {
        return;
    };
    let w = flat(&welsh);
    // Welsh only: the name as the council's plans spell it, Welsh dates.
    for expected in [
        "Siân Ŵyn",
        "1 Heol y Dŵr",
        "Annwyl Siân Ŵyn,",
        "Dyddiad: 3 Awst 2026",
        "rhwng 6 Ebrill 2026 a 5 Gorffennaf 2026",
        "Mae eich cynllun gofal yn rhoi 3 awr o ofal yr wythnos i chi",
        "£24.00 yr awr",
        "Pennodd eich asesiad ariannol eich tâl yn £100.00 yr wythnos.",
        "Ni chodir mwy na £80.00 yr wythnos",
        "29 Mehefin 2026",
        "Cyfanswm y tâl am y cyfnod £936.00",
        "Gofal a gafwyd: 32 awr ar £24.00 yr awr £768.00",
        "Ad-daliad sy'n ddyledus i chi £168.00",
        "Codwyd £168.00 yn fwy arnoch na chost y gofal a gawsoch. Bydd y cyngor yn ad-dalu £168.00 i chi.",
        "Byddwn yn cydnabod eich cais o fewn 5 diwrnod gwaith.",
        "Nid oes rhaid i chi dalu unrhyw swm yr ydych yn ei herio tra bydd y cyngor yn ei adolygu.",
        "Rydym yn croesawu gohebiaeth yn Gymraeg.",
        "We welcome correspondence in Welsh.",
    ] {
        assert!(
            w.contains(expected),
            "the Welsh statement lacks {expected:?}:\n{welsh}"
        );
    }
    assert!(
        !w.contains("Dear"),
        "a Welsh statement has English in it:\n{welsh}"
    );
    // Each week's charge: 72.00 a week (the bundle's cost, less than £80).
    assert_eq!(
        welsh.matches("£72.00").count(),
        26,
        "13 weeks × (bundle cost, charged):\n{welsh}"
    );

    let english = pdftotext(&out.join("statement-SUP00123-P3.pdf")).unwrap();
    let e = flat(&english);
    for expected in [
        "Dear Gareth Price,",
        "2 High Street",
        "Date: 3 August 2026",
        "No one is charged more than £80.00 a week for care at home, so your weekly charge is £80.00.",
        "Total charged for the period £1,040.00",
        "Care received: 130 hours at £24.00 an hour £3,120.00",
        "Refund due to you £0.00",
        "You were not charged more than the cost of the care you received, so there is no refund to make.",
        "We will acknowledge your request within 5 working days.",
        "You do not have to pay any amount you dispute while the council reviews it.",
        "Rydym yn croesawu gohebiaeth yn Gymraeg.",
        "We welcome correspondence in Welsh.",
    ] {
        assert!(
            e.contains(expected),
            "the English statement lacks {expected:?}:\n{english}"
        );
    }
    assert!(
        !e.contains("Annwyl"),
        "an English statement has Welsh in it:\n{english}"
    );

    // No choice recorded: Welsh first, then English, in one letter.
    let both = flat(&pdftotext(&out.join("statement-SUP00123-P4.pdf")).unwrap());
    let cy = both.find("Annwyl Llŷr Prys,").expect("the Welsh part");
    let en = both.find("Dear Llŷr Prys,").expect("the English part");
    assert!(cy < en, "the Welsh must be read first:\n{both}");
    for expected in [
        "£1,040.00",
        "£936.00",
        "£104.00",
        "The council will refund £104.00 to you.",
    ] {
        assert!(
            both.contains(expected),
            "the bilingual statement lacks {expected:?}:\n{both}"
        );
    }

    // The provider's letters in English, as council.toml chose.
    let advice = flat(&pdftotext(&out.join("remittance-SUP00123.pdf")).unwrap());
    for expected in [
        "Remittance advice",
        "Dear Gofal Da Cyf,",
        "The council will pay you £156.00 by BACS.",
        "P3 Gareth Price 130 130 0 £0.00",
        "P6 Bryn Jenkins 130 136.5 +6.5 £156.00",
        "Total paid by BACS £156.00",
        "P5 Eirlys Morgan 130 104 -26 -£624.00",
        "Total held -£1,104.00",
    ] {
        assert!(
            advice.contains(expected),
            "the remittance advice lacks {expected:?}:\n{advice}"
        );
    }
    // Without a ledger, whether it was exported is not known: not said.
    assert!(!advice.contains("exported"), "{advice}");
    let hold = flat(&pdftotext(&out.join("hold-SUP00123-P5.pdf")).unwrap());
    for expected in [
        "The settlement of £624.00 due to the council from you for Eirlys Morgan (P5) is held.",
        "104 hours were delivered against 130 hours commissioned, a difference of -26 hours (-20.00%).",
        "outside the tolerance of 10.4 hours (8% of the hours commissioned)",
        "due by 2 August 2026",
    ] {
        assert!(
            hold.contains(expected),
            "the hold notice lacks {expected:?}:\n{hold}"
        );
    }
    // One file for printing on both sides: every letter, in order, whole,
    // each starting on a sheet of its own.
    let each: usize = names
        .iter()
        .filter(|n| *n != "letters.pdf")
        .map(|n| pages(&out.join(n)).next_multiple_of(2))
        .sum();
    assert_eq!(pages(&out.join("letters.pdf")), each);
}

#[test]
fn the_councils_wording_replaces_the_shipped_sentence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("wording/en")).unwrap();
    std::fs::write(
        dir.path().join("wording/en/statement.toml"),
        "refund_how = \"We will send you a cheque for the refund.\"\n",
    )
    .unwrap();
    let out = make_letters(
        dir.path(),
        "[letters]\ncouncil = \"Vale of Glamorgan Council\"\ncontact = \"01446 700111\"\nwording = \"wording\"\n",
    );
    let Some(text) = pdftotext(&out.join("statement-SUP00123-P4.pdf")) else {
        return;
    };
    let text = flat(&text);
    assert!(
        text.contains("We will send you a cheque for the refund."),
        "{text}"
    );
    assert!(text.contains("Vale of Glamorgan Council"), "{text}");
    assert!(text.contains("please contact us: 01446 700111."), "{text}");
    // The Welsh part keeps the shipped sentence.
    assert!(
        text.contains("Bydd yr ad-daliad yn cael ei dalu i chi o fewn 28 diwrnod"),
        "{text}"
    );
}

#[test]
fn letters_are_not_replaced_without_force_and_never_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = make_letters(dir.path(), "");
    let before = std::fs::read(out.join("letters.pdf")).unwrap();
    let run = |extra: &[&str], to: &Path| {
        let extra: Vec<&std::ffi::OsStr> = extra.iter().map(|a| a.as_ref()).collect();
        letters_run(dir.path(), &dir.path().join("return.xlsx"), to, &extra)
    };
    let again = run(&[], &out);
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already exists: add --force"), "{err}");
    assert_eq!(std::fs::read(out.join("letters.pdf")).unwrap(), before);
    // The same inputs give the same letters, byte for byte; a letter of an
    // earlier run that this one did not write is named, and left.
    std::fs::write(out.join("statement-SUP00123-P9.pdf"), b"%PDF old").unwrap();
    let forced = run(&["--force"], &out);
    assert_eq!(forced.status.code(), Some(0));
    assert_eq!(std::fs::read(out.join("letters.pdf")).unwrap(), before);
    let err = String::from_utf8_lossy(&forced.stderr);
    assert!(
        err.contains("also holds 1 letter this run did not write (statement-SUP00123-P9.pdf)"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(out.join("statement-SUP00123-P9.pdf")).unwrap(),
        b"%PDF old"
    );
    // A folder holding the plans: a letter named plans.csv cannot happen,
    // but the folder itself as a file is refused.
    let refused = run(&[], &dir.path().join("plans.csv"));
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is a file"));
}

/// With the ledger: the remittance advice gives the export's reference
/// and date; a return other than the one on record gives no letter.
#[test]
fn from_the_ledger_the_advice_names_the_export_and_an_unrecorded_return_gets_no_letter() {
    let dir = tempfile::tempdir().unwrap();
    let ret = the_return(dir.path());
    let council = council(dir.path(), "");
    let ledger = dir.path().join("ledger.db");
    let ok = |args: &[&std::ffi::OsStr]| {
        let out = yourchoice().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let c = council.as_os_str();
    let l = ledger.as_os_str();
    // Not yet recorded: refused, nothing written.
    let letters = dir.path().join("letters");
    let out = yourchoice()
        .args(["letters", "--date", "2026-08-03", "--council"])
        .args([
            c,
            ret.as_os_str(),
            "--ledger".as_ref(),
            l,
            "-o".as_ref(),
            letters.as_os_str(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ok(&[
        "reconcile".as_ref(),
        ret.as_os_str(),
        "--council".as_ref(),
        c,
        "--ledger".as_ref(),
        l,
        "--officer".as_ref(),
        "T. Officer".as_ref(),
        "--no-report".as_ref(),
        "--new-ledger".as_ref(),
    ]);
    let before = chrono::Utc::now().date_naive();
    ok(&[
        "export".as_ref(),
        "payments".as_ref(),
        "--council".as_ref(),
        c,
        "--ledger".as_ref(),
        l,
        "--officer".as_ref(),
        "T. Officer".as_ref(),
        "--period".as_ref(),
        "2026-04-06".as_ref(),
        "-o".as_ref(),
        dir.path().join("payments.csv").as_os_str(),
    ]);
    let after = chrono::Utc::now().date_naive();
    ok(&[
        "letters".as_ref(),
        "--date".as_ref(),
        "2026-08-03".as_ref(),
        "--council".as_ref(),
        c,
        ret.as_os_str(),
        "--ledger".as_ref(),
        l,
        "-o".as_ref(),
        letters.as_os_str(),
    ]);
    let Some(advice) = pdftotext(&letters.join("remittance-SUP00123.pdf")) else {
        return;
    };
    let advice = flat(&advice);
    let said = [before, after].map(|d| {
        format!(
            "Exported to the council's finance system on {} under reference YC-00001.",
            d.format("%-d %B %Y")
        )
    });
    assert!(said.iter().any(|s| advice.contains(s.as_str())), "{advice}");

    // The return changed after it was recorded: no letter for it.
    let edited = Return::empty()
        .column(t(CHARGE))
        .person("P2", "Sian Wyn", n(3.0), n(3.0))
        .set("P2", CHARGE, n(100.0))
        .save(dir.path(), "return.xlsx");
    let out = yourchoice()
        .args(["letters", "--date", "2026-08-03", "--council"])
        .args([
            c,
            edited.as_os_str(),
            "--ledger".as_ref(),
            l,
            "-o".as_ref(),
            dir.path().join("later").as_os_str(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("gives other figures than the ledger's version 1 for SUP00123"),
        "{err}"
    );
    assert!(!dir.path().join("later/remittance-SUP00123.pdf").exists());

    // Recorded as a resubmission after the export: the advice names the
    // export, and says it does not yet carry all of the new figures.
    ok(&[
        "reconcile".as_ref(),
        edited.as_os_str(),
        "--council".as_ref(),
        c,
        "--ledger".as_ref(),
        l,
        "--officer".as_ref(),
        "T. Officer".as_ref(),
        "--no-report".as_ref(),
        "--resubmission".as_ref(),
        "P2's hours corrected".as_ref(),
    ]);
    let later = dir.path().join("later");
    ok(&[
        "letters".as_ref(),
        "--date".as_ref(),
        "2026-08-03".as_ref(),
        "--council".as_ref(),
        c,
        edited.as_os_str(),
        "--ledger".as_ref(),
        l,
        "-o".as_ref(),
        later.as_os_str(),
    ]);
    let advice = flat(&pdftotext(&later.join("remittance-SUP00123.pdf")).unwrap());
    assert!(advice.contains("under reference YC-00001."), "{advice}");
    assert!(
        advice.contains("Those exports do not yet carry all of the figures below"),
        "{advice}"
    );
}

/// A language the letters are not written in is refused at its line of
/// plans.csv, not guessed: a misspelt choice would send the wrong language.
#[test]
fn a_language_that_is_not_cy_or_en_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let ret = the_return(dir.path());
    let council = council(dir.path(), "");
    let plans = std::fs::read_to_string(dir.path().join("plans.csv"))
        .unwrap()
        .replace("Gareth Price,en,", "Gareth Price,Englsh,");
    std::fs::write(dir.path().join("plans.csv"), plans).unwrap();
    assert!(council.exists());
    let out = letters_run(dir.path(), &ret, &dir.path().join("letters"), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("plans.csv:3: Language \"Englsh\" is not a language letters are written in"),
        "{err}"
    );
    assert!(!dir.path().join("letters").exists());
}

/// The letterhead's logo: a PNG is drawn (the letter still reads the
/// same); a file that is not an image stops the run in plain words, and
/// nothing is written.
#[test]
fn a_logo_is_drawn_and_a_file_that_is_not_an_image_is_refused() {
    // A 2×1 PNG: one red pixel, one blue.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
        0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x7B, 0x40, 0xE8, 0xDD, 0x00,
        0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0x00, 0x04, 0xFF, 0x01, 0x07,
        0x00, 0x01, 0xFF, 0xE2, 0x23, 0x9E, 0x59, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42,
        0x60, 0x82,
    ];
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("logo.png"), PNG).unwrap();
    let out = make_letters(
        dir.path(),
        "[letters]\ncouncil = \"Cyngor Bro Morgannwg\"\nlogo = \"logo.png\"\n",
    );
    if let Some(text) = pdftotext(&out.join("statement-SUP00123-P2.pdf")) {
        assert!(flat(&text).contains("Cyngor Bro Morgannwg"), "{text}");
        assert!(
            flat(&text).contains("Cyfanswm y tâl am y cyfnod £936.00"),
            "{text}"
        );
    }
    std::fs::write(dir.path().join("logo.png"), b"not an image").unwrap();
    let again = letters_run(
        dir.path(),
        &dir.path().join("return.xlsx"),
        &dir.path().join("second"),
        &[],
    );
    let err = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(2), "{err}");
    assert!(err.contains("logo"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    assert!(!dir.path().join("second").exists());
}

/// An address longer than an envelope's window is refused at its line,
/// rather than spilling over the letter.
#[test]
fn an_address_of_more_than_eight_lines_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let ret = the_return(dir.path());
    let council = council(dir.path(), "");
    let plans = std::fs::read_to_string(dir.path().join("plans.csv"))
        .unwrap()
        .replace("\"2 High Street, Barry, CF63 4RU\"", "\"1,2,3,4,5,6,7,8,9\"");
    std::fs::write(dir.path().join("plans.csv"), plans).unwrap();
    assert!(council.exists());
    let out = letters_run(dir.path(), &ret, &dir.path().join("letters"), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("plans.csv:3: the Address has 9 lines: a postal address has at most 8"),
        "{err}"
    );
}

/// A run killed with every letter typeset but none in place leaves no
/// letter, and the next run removes what it staged.
#[test]
fn a_run_killed_before_its_letters_are_in_place_leaves_none() {
    let dir = tempfile::tempdir().unwrap();
    let ret = the_return(dir.path());
    let council = council(dir.path(), "");
    let out = dir.path().join("letters");
    let mut child = crate::common::bin::yourchoice_std()
        .args(["letters", "--date", "2026-08-03", "--council"])
        .args([council.as_os_str(), ret.as_os_str()])
        .arg("-o")
        .arg(&out)
        .env("YOURCHOICE_TEST_STALL_BEFORE_COMMIT", "1")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it says it is stalled, then kill it.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while std::io::BufRead::read_line(&mut stderr, &mut line).unwrap() > 0 && !line.contains("stalled") {
        line.clear();
    }
    assert!(line.contains("stalled with the letters staged"), "{line}");
    child.kill().unwrap();
    child.wait().unwrap();
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        left.iter().all(|n| n.starts_with(".yourchoice-staging-")),
        "{left:?}"
    );
    // The next run writes every letter and sweeps the killed run's staging.
    make_letters(dir.path(), "");
    let after: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(after.iter().all(|n| !n.starts_with('.')), "{after:?}");
    assert_eq!(after.len(), 8, "{after:?}");
}

/// Every money stream agrees with every other: on the example council, each
/// statement's refund is the refunds export's line for the person (none
/// where nothing is due), and each remittance advice's total is the
/// provider's payments or invoices line.
#[test]
fn the_letters_agree_with_finances_exports_to_the_penny() {
    use crate::common::files::example;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("letters");
    let returns = [
        "bro-morgannwg.xlsx",
        "cwm-taf-care-corrected.xlsx",
        "penarth-homecare.xlsx",
    ]
    .map(|r| example(&format!("council/{r}")));
    let settings = [
        "--council".into(),
        example("council/council.toml").into_os_string(),
        "--decisions".into(),
        example("council/decisions.csv").into_os_string(),
    ];
    let made = yourchoice()
        .args(["letters", "--date", "2026-08-03"])
        .args(&returns)
        .args(&settings)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        made.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let export = |kind: &str| -> Vec<Vec<String>> {
        let o = yourchoice()
            .args(["export", kind])
            .args(&returns)
            .args(&settings)
            .output()
            .unwrap();
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    };
    // The figure after a label on a page: `Refund due to you £24.92`.
    let figure = |text: &str, label: &str| -> Option<String> {
        let flat = flat(text);
        let at = flat.find(label)? + label.len();
        flat[at..]
            .split_whitespace()
            .next()
            .map(|f| f.trim_start_matches('£').replace(',', ""))
    };
    let refunds = export("refunds");
    let mut statements = 0;
    for entry in std::fs::read_dir(&out).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("statement-") else {
            continue;
        };
        let (provider, person) = rest.trim_end_matches(".pdf").split_once('-').unwrap();
        let Some(text) = pdftotext(&out.join(&name)) else {
            return;
        };
        let said = figure(&text, "Refund due to you")
            .or_else(|| figure(&text, "Ad-daliad sy'n ddyledus i chi"))
            .unwrap();
        let exported = refunds
            .iter()
            .find(|l| l[0] == provider && l[1] == person)
            .map_or("0.00".to_string(), |l| l[3].clone());
        assert_eq!(said, exported, "{name}");
        statements += 1;
    }
    assert_eq!(statements, 12);
    let (payments, invoices) = (export("payments"), export("invoices"));
    for reference in ["SUP00123", "SUP00456", "SUP00789"] {
        let Some(text) = pdftotext(&out.join(format!("remittance-{reference}.pdf"))) else {
            return;
        };
        let said = [
            "Total paid by BACS",
            "Total invoiced",
            "Cyfanswm a delir drwy BACS",
            "Cyfanswm a anfonebir",
        ]
        .iter()
        .find_map(|label| figure(&text, label))
        .unwrap();
        let exported = payments
            .iter()
            .chain(&invoices)
            .find(|l| l[0] == reference)
            .map(|l| l[4].clone())
            .unwrap();
        assert_eq!(said, exported, "{reference}");
    }
}

/// A person on two rows, the first (weeks 1-6) with no assessed charge and
/// the second (weeks 7-13) assessed at £100 a week, capped at £80; bundle
/// 3 h at £24, 3 hours a week then 2. Worked by hand (SPEC 4, the charged
/// weeks only): charged min(80, 3 × 24 = 72) = £72 × 7 = £504.00; cost of
/// the care the charge is set against 7 × 2 × £24 = £336.00; refund £168.00.
/// The cost line is the charged weeks' (14 hours), never the 32 hours of all
/// care; the charge and its cap are said, and the uncharged weeks are
/// explained.
#[test]
fn a_charge_for_part_of_the_period_is_set_against_that_part_only() {
    use crate::common::workbook::V;
    let dir = tempfile::tempdir().unwrap();
    let ret = Return::empty()
        .column(t(CHARGE))
        .column(t("Care start"))
        .column(t("Care end"))
        .person("P2", "Sian Wyn", n(3.0), n(3.0))
        .weeks(
            "P2",
            [3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        )
        .set("P2", "Care end", V::Date(2026, 5, 17))
        .person("P2", "Sian Wyn", n(3.0), n(2.0))
        .set_row(1, "Week 1", V::Blank)
        .set_row(1, "Week 2", V::Blank)
        .set_row(1, "Week 3", V::Blank)
        .set_row(1, "Week 4", V::Blank)
        .set_row(1, "Week 5", V::Blank)
        .set_row(1, "Week 6", V::Blank)
        .set_row(1, CHARGE, n(100.0))
        .set_row(1, "Care start", V::Date(2026, 5, 18));
    // Weeks 7-13 of the first row are outside its care: blank, not 0.
    let ret = (7..=13)
        .fold(ret, |r, k| r.set_row(0, &format!("Week {k}"), V::Blank))
        .save(dir.path(), "return.xlsx");
    let council = council(dir.path(), "");
    let out = dir.path().join("letters");
    assert!(council.exists());
    let made = letters_run(dir.path(), &ret, &out, &[]);
    assert_eq!(
        made.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let Some(text) = pdftotext(&out.join("statement-SUP00123-P2.pdf")) else {
        return;
    };
    let text = flat(&text);
    for expected in [
        "Cyfanswm y tâl am y cyfnod £504.00",
        "Gofal a gafwyd: 14 awr ar £24.00 yr awr £336.00",
        "Cost y gofal a gawsoch £336.00",
        "Ad-daliad sy'n ddyledus i chi £168.00",
        "Pennodd eich asesiad ariannol eich tâl yn £100.00 yr wythnos. Ni chodir mwy na £80.00 yr wythnos",
        "Mewn wythnos a nodir \"dim tâl\" pan gawsoch ofal",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}:\n{text}");
    }
    // The cost line is the charged weeks' 14 hours, not all 32 of care.
    assert!(!text.contains("32 awr"), "{text}");
}
