//! Finance's export profiles (issue 25): each shipped profile's file read
//! back (the Oracle one by the column names Oracle's documentation gives),
//! the council's own profile, the accounting codes and invoice numbers, and
//! what a recovery becomes; every figure worked out by hand.
//!
//! Two returns for the period from Monday 06/04/2026 (13 weeks), each one
//! person with a bundle of 10 hours a week (130 hours; the 8% tolerance is
//! 10.4 hours, so both are within it and paid without a decision):
//!
//! - SUP00100 "Siân's Care Cymru", council rate £24.00: P1 has 12 hours in
//!   weeks 1 and 2, +4 hours: 4 x £24.00 = **£96.00 paid**.
//! - SUP00200 "Bright Homecare", council rate £25.00: Q1 has 7 hours in
//!   week 1, -3 hours: -3 x £25.00 = **£75.00 recovered**.
//!
//! Invoice numbers: `YC-`, the provider, the period's first day, the
//! version (1), as `engine::export::invoice_number` documents.

use std::path::PathBuf;

use crate::common::bin::run;
use crate::common::workbook::{Return, n, t};

struct Council {
    dir: tempfile::TempDir,
    returns: Vec<PathBuf>,
}

const PROVIDERS: &str = r#"
[[provider]]
reference = "SUP00100"
name = "Siân's Care Cymru"
rates = [ { from = "2025-04-07", rate = "24.00" } ]
supplier_number = "100234"
supplier_site = "BARRY"
purchase_order = "PO-4471"
cost_centre = "SC4100"
expense_code = "5410"

[[provider]]
reference = "SUP00200"
name = "Bright Homecare"
rates = [ { from = "2025-04-07", rate = "25.00" } ]
purchase_order = "PO-4480"
"#;

/// The defaults SUP00200 takes: the council's cost centre, expense code and
/// VAT code (care at home is exempt).
const DEFAULT_CODES: &str = r#"cost_centre = "SC4000"
expense_code = "5400"
vat_code = "EXEMPT"
"#;

impl Council {
    /// The two returns, and council.toml with `export` as its `[export]`
    /// table's extra lines.
    fn new(export: &str) -> Council {
        let dir = tempfile::tempdir().unwrap();
        let toml = format!("[export]\n{DEFAULT_CODES}{export}\n{PROVIDERS}");
        std::fs::write(dir.path().join("council.toml"), toml).unwrap();
        let mut a = [10.0; 13];
        a[0] = 12.0;
        a[1] = 12.0;
        let mut b = [10.0; 13];
        b[0] = 7.0;
        let first = Return::empty()
            .detail("Provider name", t("Siân's Care Cymru"))
            .detail("Provider reference", t("SUP00100"))
            .person("P1", "Gwen Hughes", n(10.0), n(10.0))
            .weeks("P1", a)
            .save(dir.path(), "a.xlsx");
        let second = Return::empty()
            .detail("Provider name", t("Bright Homecare"))
            .detail("Provider reference", t("SUP00200"))
            .person("Q1", "Bryn Jenkins", n(10.0), n(10.0))
            .weeks("Q1", b)
            .save(dir.path(), "b.xlsx");
        Council {
            dir,
            returns: vec![first, second],
        }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// `export KIND` from the returns, with `extra`: (exit code, the file's
    /// bytes, stderr).
    fn export(&self, kind: &str, extra: &[&str]) -> (Option<i32>, Vec<u8>, String) {
        let out = self.dir.path().join(format!("{kind}-{}.csv", extra.len()));
        let _ = std::fs::remove_file(&out);
        let mut args: Vec<String> = vec!["export".into(), kind.into()];
        args.extend(self.returns.iter().map(|p| p.display().to_string()));
        args.extend(["--council".into(), self.path("council.toml")]);
        args.extend(["--date".into(), "2026-08-04".into()]);
        args.extend(["-o".into(), out.display().to_string()]);
        args.extend(extra.iter().map(|s| s.to_string()));
        let (code, _, stderr) = run(&args);
        (code, std::fs::read(&out).unwrap_or_default(), stderr)
    }
}

/// The records of a CSV with `delimiter`, the header (if any) first.
fn records(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Each line as header -> value.
fn by_header(bytes: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    let rows = records(bytes, b',');
    let header = &rows[0];
    rows[1..]
        .iter()
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

#[test]
fn the_plain_profile_has_a_byte_order_mark_and_crlf_so_a_spreadsheet_shows_every_name() {
    let council = Council::new("");
    let (code, bytes, stderr) = council.export("payments", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 with its byte-order mark"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(
        text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'),
        "CRLF only"
    );
    let lines = by_header(&bytes);
    assert_eq!(lines.len(), 1, "only the payment: the recovery is an invoice");
    let l = &lines[0];
    assert_eq!(l["Provider reference"], "SUP00100");
    assert_eq!(l["Provider name"], "Siân's Care Cymru");
    assert_eq!(l["Amount"], "96.00", "4 h x £24.00");
    assert_eq!(l["Invoice number"], "YC-SUP00100-20260406-1");
    assert_eq!(l["Invoice type"], "STANDARD");
    assert_eq!(l["Purchase order"], "PO-4471");
    assert_eq!(l["Cost centre"], "SC4100");
    assert_eq!(l["Expense code"], "5410");
    assert_eq!(l["VAT code"], "EXEMPT", "the council's default");
    assert_eq!(l["Line"], "settlement");
    assert_eq!(l["Reference"], "", "not recorded: no ledger");

    let (code, bytes, stderr) = council.export("invoices", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let lines = by_header(&bytes);
    assert_eq!(lines.len(), 1);
    let l = &lines[0];
    assert_eq!(l["Provider reference"], "SUP00200");
    assert_eq!(l["Amount"], "75.00", "3 h x £25.00, owed by the provider");
    assert_eq!(l["Invoice type"], "DEBTOR");
    assert_eq!(l["Purchase order"], "PO-4480");
    assert_eq!(l["Cost centre"], "SC4000", "the council's default");
    assert_eq!(l["Expense code"], "5400");
}

#[test]
fn oracle_payables_reads_back_by_its_documented_columns_with_credit_notes() {
    let council = Council::new("recoveries = \"credit-note\"\npayments = \"oracle-payables\"\n");
    let (code, bytes, stderr) = council.export("payments", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        !bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "Oracle's loader takes no byte-order mark"
    );
    // SUP00200 has no supplier site: said before finance loads the file.
    assert!(
        stderr.contains(
            "SUP00200's lines have no supplier_number (VENDOR_NUM), supplier_site (VENDOR_SITE_CODE) for the profile oracle-payables"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("SUP00100's lines have no"), "{stderr}");
    assert!(!bytes.contains(&b'\r'), "LF");
    let rows = records(&bytes, b',');
    // AP_INVOICES_INTERFACE's columns, then AP_INVOICE_LINES_INTERFACE's.
    assert_eq!(
        rows[0],
        [
            "INVOICE_NUM",
            "INVOICE_TYPE_LOOKUP_CODE",
            "INVOICE_DATE",
            "VENDOR_NUM",
            "VENDOR_SITE_CODE",
            "INVOICE_AMOUNT",
            "INVOICE_CURRENCY_CODE",
            "DESCRIPTION",
            "SOURCE",
            "PO_NUMBER",
            "LINE_NUMBER",
            "LINE_TYPE_LOOKUP_CODE",
            "AMOUNT",
            "DIST_CODE_CONCATENATED",
            "TAX_CLASSIFICATION_CODE",
            "ATTRIBUTE1",
        ]
    );
    let lines = by_header(&bytes);
    assert_eq!(lines.len(), 2, "the payment and the credit note");
    let paid = &lines[0];
    assert_eq!(paid["INVOICE_NUM"], "YC-SUP00100-20260406-1");
    assert_eq!(paid["INVOICE_TYPE_LOOKUP_CODE"], "STANDARD");
    assert_eq!(paid["INVOICE_DATE"], "2026/08/04");
    assert_eq!(paid["VENDOR_NUM"], "100234");
    assert_eq!(paid["VENDOR_SITE_CODE"], "BARRY");
    assert_eq!(paid["INVOICE_AMOUNT"], "96.00");
    assert_eq!(paid["AMOUNT"], "96.00", "its one line is the whole invoice");
    assert_eq!(paid["INVOICE_CURRENCY_CODE"], "GBP");
    assert_eq!(paid["SOURCE"], "YOURCHOICE");
    assert_eq!(paid["PO_NUMBER"], "PO-4471");
    assert_eq!(paid["LINE_NUMBER"], "1");
    assert_eq!(paid["LINE_TYPE_LOOKUP_CODE"], "ITEM");
    assert_eq!(paid["DIST_CODE_CONCATENATED"], "SC4100.5410");
    assert_eq!(paid["TAX_CLASSIFICATION_CODE"], "EXEMPT");
    assert_eq!(
        paid["DESCRIPTION"],
        "Your Choice care at home 06/04/2026 to 05/07/2026: settlement"
    );
    let credit = &lines[1];
    assert_eq!(credit["INVOICE_NUM"], "YC-SUP00200-20260406-1");
    assert_eq!(credit["INVOICE_TYPE_LOOKUP_CODE"], "CREDIT");
    assert_eq!(credit["INVOICE_AMOUNT"], "-75.00", "-3 h x £25.00");
    assert_eq!(credit["VENDOR_NUM"], "", "no supplier number: never guessed");
    assert!(
        stderr.contains("1 line in the payments is a credit note (type CREDIT, a negative amount)"),
        "{stderr}"
    );
    assert_eq!(credit["DIST_CODE_CONCATENATED"], "SC4000.5400");
    assert_eq!(credit["PO_NUMBER"], "PO-4480");
    // The payments net to £96.00 - £75.00 = £21.00.
    let sum: rust_decimal::Decimal = lines
        .iter()
        .map(|l| l["INVOICE_AMOUNT"].parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(sum, rust_decimal::Decimal::new(2100, 2));

    // The recovery is not invoiced as well.
    let (code, bytes, stderr) = council.export("invoices", &["--profile", "plain"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(records(&bytes, b',').len(), 1, "the header alone");
    assert!(
        stderr.contains("the council's recoveries are credit notes"),
        "{stderr}"
    );
}

#[test]
fn the_councils_own_profile_sets_columns_headers_dates_decimals_and_signs() {
    let council = Council::new(
        r#"recoveries = "credit-note"
payments = "unit4"

[export.profiles.unit4]
kinds = ["payments"]
columns = [
  { header = "Supplier", field = "Supplier number" },
  { header = "InvNo", field = "invoice number" },
  "Invoice date",
  { header = "Value", field = "Amount" },
  { header = "Ledger", value = "AP01" },
  "Cost centre",
]
header = false
date_format = "%d/%m/%Y"
decimal = ","
delimiter = ";"
negative = "brackets"
bom = false
line_ending = "lf"
"#,
    );
    let (code, bytes, stderr) = council.export("payments", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "100234;YC-SUP00100-20260406-1;04/08/2026;96,00;AP01;SC4100\n\
         ;YC-SUP00200-20260406-1;04/08/2026;(75,00);AP01;SC4000\n"
    );
}

#[test]
fn a_profile_that_cannot_be_loaded_is_refused_before_anything_is_written() {
    // Each: the [export] lines, the words the refusal must hold.
    let mine = |lines: &str| format!("[export.profiles.mine]\nkinds = [\"payments\"]\n{lines}\n");
    let cases: Vec<(String, &str)> = vec![
        (
            mine("columns = [\"Amount\", \"Colour\"]"),
            "\"Colour\" is not a field of the line",
        ),
        (
            mine("columns = [\"Provider name\"]"),
            "no column holds the Amount",
        ),
        (
            mine("columns = [\"Amount\"]\ndecimal = \",\""),
            "give delimiter = \";\"",
        ),
        (
            "[export.profiles.mine]\ncolumns = [\"Amount\"]\n".into(),
            "kinds is missing",
        ),
        (
            mine("columns = [\"Amount\", { header = \"amount\", field = \"Invoice number\" }]"),
            "the header \"amount\" is given twice",
        ),
        (
            mine("columns = [\"Amount\", { header = \"Settlement held\", value = \"0\" }]"),
            "the header \"Settlement held\" is the name of a field",
        ),
        (
            mine("columns = [\"Amount\", { header = \"=cmd|' /C calc'!A0\", field = \"Invoice number\" }]"),
            "which a spreadsheet runs as a formula",
        ),
        (
            mine("columns = [\"Amount\", { header = \"Src\", value = \"+1\" }]"),
            "which a spreadsheet runs as a formula",
        ),
        (
            mine("columns = [\"Amount\", { header = \"X\", field = \"Amount\", colour = \"red\" }]"),
            "council.toml:",
        ),
        (
            mine("columns = [\"Amount\"]\ndate_format = \"%d/%m/%Y %H:%M\""),
            "is not a date format",
        ),
        (
            mine("columns = [\"Amount\"]\ndate_format = \"%z\""),
            "is not a date format",
        ),
        (
            mine("columns = [\"Amount\"]\nheader = false\nbom = true"),
            "bom = true with header = false",
        ),
        (
            mine("columns = [\"Amount\"]")
                + "[export.profiles.MINE]\nkinds = [\"payments\"]\ncolumns = [\"Amount\"]\n",
            "a profile of that name is given already",
        ),
        (
            mine("columns = [\"Amount\"]").replace(
                "[export.profiles.mine]",
                "profile = \"mine\"\n[export.profiles.mine]",
            ),
            "the profile lays out the payments only, not the invoices",
        ),
        (
            "profile = \"sap\"\n".into(),
            "profile = \"sap\": there is no such profile",
        ),
        (
            "purchase_order = \"-PO1\"\n".into(),
            "starts with a sign a spreadsheet runs as a formula",
        ),
    ];
    for (lines, words) in cases {
        let council = Council::new(&lines);
        let (code, bytes, stderr) = council.export("payments", &[]);
        assert_eq!(code, Some(2), "{lines}\n{stderr}");
        assert!(bytes.is_empty(), "{lines}");
        assert!(stderr.contains(words), "{lines}\n{stderr}");
        assert!(stderr.contains("council.toml:"), "named by its line: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    }

    // Oracle Payables takes the providers' invoices, not people's refunds,
    // and not debtor invoices.
    let council = Council::new("");
    let (code, _, stderr) = council.export("refunds", &["--profile", "oracle-payables"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("not the refunds"), "{stderr}");
    let (code, _, stderr) = council.export("invoices", &["--profile", "oracle-payables"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("debtor invoices"), "{stderr}");
}

#[test]
fn a_ledger_export_and_its_repeat_carry_the_same_invoice_numbers_in_any_profile() {
    let council = Council::new("recoveries = \"credit-note\"\n");
    let ledger = council.path("ledger.db");
    let mut args: Vec<String> = vec!["reconcile".into()];
    args.extend(council.returns.iter().map(|p| p.display().to_string()));
    args.extend(
        [
            "--council",
            &council.path("council.toml"),
            "--ledger",
            &ledger,
            "--new-ledger",
            "--officer",
            "Siân Thomas",
            "--no-report",
        ]
        .map(String::from),
    );
    let (code, _, stderr) = run(&args);
    assert_eq!(code, Some(0), "{stderr}");
    let export = |extra: &[&str]| {
        let mut args = vec!["export", "payments", "--council", &council.path("council.toml")]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        args.extend(
            [
                "--ledger",
                &ledger,
                "--period",
                "2026-04-06",
                "--officer",
                "Rhys Price",
            ]
            .map(String::from),
        );
        args.extend(extra.iter().map(|s| s.to_string()));
        run(&args)
    };
    // Without council.toml the lines would carry no codes, for good.
    let (code, refused, stderr) = run(&[
        "export",
        "payments",
        "--ledger",
        &ledger,
        "--period",
        "2026-04-06",
        "--officer",
        "Rhys Price",
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(refused, "");
    assert!(
        stderr.contains("reconciled with the council's settings") && stderr.contains("give --council"),
        "{stderr}"
    );
    // Oracle's layout needs SUP00200's supplier number and site: the ledger
    // keeps lines as exported, so nothing is recorded without them.
    let (code, refused, stderr) = export(&["--profile", "oracle-payables", "--date", "2026-08-04"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(refused, "");
    assert!(stderr.contains("nothing was exported or recorded"), "{stderr}");
    // The plain layout, recorded as export 1.
    let (code, first, stderr) = export(&["--date", "2026-08-04"]);
    assert_eq!(code, Some(0), "{stderr}");
    let numbers =
        |text: &str, number: &str, amount: &str, reference: &str| -> Vec<(String, String, String)> {
            by_header(text.trim_start_matches('\u{feff}').as_bytes())
                .iter()
                .map(|l| (l[number].clone(), l[amount].clone(), l[reference].clone()))
                .collect()
        };
    let want = |a: &str, b: &str| {
        vec![
            (
                "YC-SUP00100-20260406-1".to_string(),
                a.to_string(),
                "YC-00001".to_string(),
            ),
            (
                "YC-SUP00200-20260406-1".to_string(),
                b.to_string(),
                "YC-00001".to_string(),
            ),
        ]
    };
    assert_eq!(
        numbers(&first, "Invoice number", "Amount", "Reference"),
        want("96.00", "-75.00")
    );
    // Nothing new: refused. Again: the same file, byte for byte.
    let (code, _, _) = export(&[]);
    assert_eq!(code, Some(1));
    let (code, again, stderr) = export(&["--again"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(again, first, "a repeat is the same file");
    // The repeat laid out for Oracle: the same numbers, amounts, reference.
    let (code, oracle, stderr) = export(&["--again", "--profile", "oracle-payables"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        numbers(&oracle, "INVOICE_NUM", "INVOICE_AMOUNT", "ATTRIBUTE1"),
        want("96.00", "-75.00")
    );
    // A repeat carries its original's invoice date.
    let (code, _, stderr) = export(&["--again", "--date", "2026-08-04"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("leave out --date"), "{stderr}");
}
