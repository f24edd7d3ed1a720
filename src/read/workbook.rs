//! Opening a workbook: what kind of file it is, the package checks, which
//! sheet is `Details` and which `Hours`, and each read once into a
//! [`Grid`], streaming cell by cell where the format allows (`.xlsx`,
//! `.xlsb`) so memory follows the cells, not the sheet's declared size.

use calamine::{Data, Reader, SheetVisible, Sheets, open_workbook_auto_from_rs};
use chrono::NaiveDate;

use super::grid::{Grid, Value};
use super::package::{self, Guarded, Kind, Refusal};
use crate::base::limits::{MAX_CELLS, MAX_FILE_BYTES, MAX_SHEET_TEXT_BYTES};
use crate::model::findings::{Code, Finding, Findings, Sheet};

/// The two sheets of council format 1, each `None` when it could not be
/// read (a finding says why).
pub struct Sheets2 {
    pub details: Option<Grid>,
    pub hours: Option<Grid>,
}

pub fn unreadable(source: &str, why: &str) -> Finding {
    Finding::new(
        Code::UnreadableWorkbook,
        format!(
            "{source} could not be opened as a workbook: {why}. Save it as an Excel \
             workbook (.xlsx) from the council's template and submit that file; \
             it must not be password-protected."
        ),
    )
}

pub fn limit(source: &str, why: &str) -> Finding {
    Finding::new(
        Code::LimitExceeded,
        format!(
            "{source} was not read: {why}, far more than any return needs. Check that \
             this is the right file; a return holds one row per person and one column \
             per week."
        ),
    )
}

/// A file too large to read at all (it was not loaded).
pub fn too_large(source: &str, bytes: u64) -> Finding {
    limit(
        source,
        &format!(
            "it is {} MB, more than the {} MB a return may be",
            bytes >> 20,
            MAX_FILE_BYTES >> 20
        ),
    )
}

/// Open the workbook and read its two sheets. `None` when it could not be
/// opened at all (the findings say why).
pub fn open(source: &str, bytes: &[u8], findings: &mut Findings) -> Option<Sheets2> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        findings.push(too_large(source, bytes.len() as u64));
        return None;
    }
    let kind = package::kind(bytes);
    let reader = match kind {
        Kind::Csv => {
            findings.push(Finding::new(
                Code::UnreadableWorkbook,
                format!(
                    "{source} is a text (CSV) file, and CSV is not a supported format: open it \
                     in Excel or LibreOffice and save it as .xlsx (an Excel workbook), then \
                     submit that file."
                ),
            ));
            return None;
        }
        Kind::Unknown => {
            findings.push(unreadable(
                source,
                "it is not an Excel or OpenDocument workbook (its first bytes are neither a zip \
                 package nor an Excel 97-2003 file)",
            ));
            return None;
        }
        Kind::Zip | Kind::Compound => match guarded(bytes, kind) {
            Ok(reader) => reader,
            Err(refusal) => {
                findings.push(refused(source, refusal));
                return None;
            }
        },
    };
    // calamine parses what the checks do not look into; where it panics on
    // a corrupt record (an `.xls` one, say), the file is unreadable, not
    // the run broken. Its findings are kept only if the guard let every
    // part it read through.
    let mut found = Findings::new();
    let parsed = quietly_catching_panics(|| {
        let mut workbook = match calamine_open(reader.clone(), kind) {
            Ok(wb) => wb,
            Err(e) => {
                found.push(unreadable(source, &e.to_string()));
                return None;
            }
        };
        let epoch = serial_epoch(&workbook, bytes);
        let details = pick(&mut workbook, Sheet::Details, epoch, source, &mut found);
        let hours = pick(&mut workbook, Sheet::Hours, epoch, source, &mut found);
        Some(Sheets2 { details, hours })
    });
    if let Some(refusal) = reader.refusal() {
        findings.push(refused(source, refusal));
        return None;
    }
    findings.absorb(found);
    parsed.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no reason given");
        findings.push(unreadable(
            source,
            &format!("its contents are corrupt (the workbook reader failed: {why})"),
        ));
        None
    })
}

/// The finding for a package the checks refused.
fn refused(source: &str, refusal: Refusal) -> Finding {
    match refusal {
        Refusal::Corrupt(why) => unreadable(source, &why),
        Refusal::Limit(why) => limit(source, &why),
    }
}

/// The workbook's bytes as calamine is to read them: a zip package behind
/// its guard (its directory checked now, each part as calamine reads it),
/// an `.xls` after its own checks.
fn guarded(bytes: &[u8], kind: Kind) -> Result<Guarded<'_>, Refusal> {
    match kind {
        Kind::Zip => package::guard_zip(bytes),
        Kind::Compound => super::compound::check(bytes).map(|()| Guarded::plain(bytes)),
        Kind::Csv | Kind::Unknown => Err(Refusal::Corrupt(
            "it is not an Excel or OpenDocument workbook".to_string(),
        )),
    }
}

/// Read named sheets of a workbook (after the package checks) into grids,
/// streaming where the format allows: for the tool's own files read back.
///
/// # Errors
/// The package is refused, or a sheet is missing or cannot be read.
pub(super) fn read_sheets(bytes: &[u8], names: &[&str]) -> Result<Vec<Grid>, Refusal> {
    let kind = package::kind(bytes);
    let reader = guarded(bytes, kind)?;
    let parsed = quietly_catching_panics(|| {
        let mut workbook =
            calamine_open(reader.clone(), kind).map_err(|e| Refusal::Corrupt(e.to_string()))?;
        let epoch = serial_epoch(&workbook, bytes);
        names
            .iter()
            .map(|name| read_grid(&mut workbook, name).map(|g| g.with_epoch(epoch)))
            .collect()
    });
    if let Some(refusal) = reader.refusal() {
        return Err(refusal);
    }
    parsed.unwrap_or_else(|_| Err(Refusal::Corrupt("its contents are corrupt".to_string())))
}

/// The names of a workbook's sheets, in order (after the same checks as
/// [`read_sheets`]; empty when it cannot be opened).
pub(super) fn sheet_names(bytes: &[u8]) -> Vec<String> {
    let kind = package::kind(bytes);
    let Ok(reader) = guarded(bytes, kind) else {
        return Vec::new();
    };
    let names = quietly_catching_panics(|| {
        calamine_open(reader.clone(), kind)
            .map(|wb| wb.sheet_names())
            .unwrap_or_default()
    })
    .unwrap_or_default();
    if reader.refusal().is_some() {
        return Vec::new();
    }
    names
}

/// Open the workbook with the calamine reader of the kind the checks
/// looked at, and only that one: a file that begins as an Excel 97-2003
/// file and ends as a zip package must not be read as the zip its checks
/// never saw (found by fuzzing: such a file's shared formula asked calamine
/// for 171 GB).
fn calamine_open(reader: Guarded<'_>, kind: Kind) -> Result<Sheets<Guarded<'_>>, calamine::Error> {
    match kind {
        Kind::Compound => Ok(Sheets::Xls(calamine::Xls::new(reader)?)),
        _ => open_workbook_auto_from_rs(reader),
    }
}

/// The day serial day number 0 falls on in this workbook, where it is not
/// Excel's 1900 system: 1904-01-01 for a workbook saved in the 1904 date
/// system (`date1904`, which calamine reads for `.xlsx`, `.xlsb` and
/// `.xls`), or an OpenDocument file's own null date. calamine applies it to
/// date-formatted cells itself; a plain number in a date cell needs it too.
fn serial_epoch(workbook: &Sheets<Guarded<'_>>, bytes: &[u8]) -> Option<NaiveDate> {
    let is_1904 = match workbook {
        Sheets::Xlsx(x) => x.has_1904_epoch(),
        Sheets::Xlsb(x) => x.has_1904_epoch(),
        Sheets::Xls(x) => x.has_1904_epoch(),
        Sheets::Ods(_) => return package::ods_null_date(bytes),
    };
    is_1904.then(|| NaiveDate::from_ymd_opt(1904, 1, 1)).flatten()
}

/// A sheet name as matched: trimmed, lower case.
fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Find the sheet by name ignoring case and surrounding spaces (exactly
/// one may match) and read it.
fn pick(
    workbook: &mut Sheets<Guarded<'_>>,
    sheet: Sheet,
    epoch: Option<NaiveDate>,
    source: &str,
    findings: &mut Findings,
) -> Option<Grid> {
    let wanted = sheet.name();
    let sheets = workbook.sheets_metadata().to_vec();
    let matching: Vec<&calamine::Sheet> = sheets.iter().filter(|s| fold(&s.name) == fold(wanted)).collect();
    let shown = |s: &calamine::Sheet| match s.visible {
        SheetVisible::Visible => format!("\"{}\"", s.name),
        SheetVisible::Hidden => format!("\"{}\" (hidden)", s.name),
        SheetVisible::VeryHidden => format!("\"{}\" (very hidden)", s.name),
    };
    let name = match matching.as_slice() {
        [one] => one.name.clone(),
        [] => {
            let found = if sheets.is_empty() {
                "no sheets".to_string()
            } else {
                format!(
                    "sheets {}",
                    sheets.iter().map(shown).collect::<Vec<_>>().join(", ")
                )
            };
            findings.push(Finding::new(
                Code::MissingSheet,
                format!(
                    "The workbook has no \"{wanted}\" sheet (found {found}). Use the council's \
                     template, which has a Details sheet and an Hours sheet, or rename the sheet \
                     to \"{wanted}\"."
                ),
            ));
            return None;
        }
        several => {
            findings.push(Finding::new(
                Code::AmbiguousSheet,
                format!(
                    "The workbook has {} sheets that are all \"{wanted}\" once case and spaces \
                     are ignored: {}. Which one holds the figures is ambiguous: delete or rename \
                     all but one.",
                    several.len(),
                    several.iter().map(|s| shown(s)).collect::<Vec<_>>().join(", ")
                ),
            ));
            return None;
        }
    };
    match read_grid(workbook, &name) {
        Ok(grid) => Some(grid.with_epoch(epoch)),
        Err(Refusal::Corrupt(why)) => {
            findings.push(unreadable(source, &format!("sheet \"{name}\": {why}")));
            None
        }
        Err(Refusal::Limit(why)) => {
            findings.push(limit(source, &format!("sheet \"{name}\" {why}")));
            None
        }
    }
}

/// Keep one more cell, refusing past [`MAX_CELLS`] and past a sheet's last
/// cell (`XFD1048576`): an `.xls` or `.xlsb` record can place a cell
/// further than any sheet reaches, where no report could show it.
///
/// `text`: the bytes of text kept so far, refused past
/// [`MAX_SHEET_TEXT_BYTES`].
fn keep(
    cells: &mut Vec<(u32, u32, Value)>,
    text: &mut u64,
    row: u32,
    col: u32,
    value: Value,
) -> Result<(), Refusal> {
    if row >= 1 << 20 || col >= 1 << 14 {
        return Err(Refusal::Corrupt(
            "it holds a cell past the last cell of a sheet (XFD1048576)".into(),
        ));
    }
    if cells.len() as u64 >= MAX_CELLS {
        return Err(Refusal::Limit(format!("has more than {MAX_CELLS} filled cells")));
    }
    if let Value::Data(Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s)) = &value {
        *text = text.saturating_add(s.len() as u64);
        if *text > MAX_SHEET_TEXT_BYTES {
            return Err(Refusal::Limit(format!(
                "holds more than {} MiB of text",
                MAX_SHEET_TEXT_BYTES >> 20
            )));
        }
    }
    cells.push((row, col, value));
    Ok(())
}

fn blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn read_grid(workbook: &mut Sheets<Guarded<'_>>, name: &str) -> Result<Grid, Refusal> {
    let corrupt = |e: &dyn std::fmt::Display| Refusal::Corrupt(e.to_string());
    let mut cells = Vec::new();
    let mut text = 0u64;
    match workbook {
        Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| corrupt(&e))?;
            while let Some(cell) = reader.next_cell_with_formula().map_err(|e| corrupt(&e))? {
                let (row, col) = cell.pos;
                let data = Data::from(cell.value);
                let value = match (&cell.formula, &data) {
                    // A formula saved without any result: the spreadsheet
                    // would show something this file does not hold. (One
                    // whose result is empty text, `IF(…,"",…)`, shows a
                    // blank, and is one.)
                    (Some(f), Data::Empty) if !f.trim().is_empty() => Value::Uncalculated,
                    _ if blank(&data) => continue,
                    _ => Value::Data(data),
                };
                keep(&mut cells, &mut text, row, col, value)?;
            }
        }
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| corrupt(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| corrupt(&e))? {
                let (row, col) = cell.get_position();
                let data = Data::from(cell.get_value().clone());
                if !blank(&data) {
                    keep(&mut cells, &mut text, row, col, Value::Data(data))?;
                }
            }
        }
        // Read whole by calamine: `.ods` and `.xls` were bounded by the
        // package checks.
        other => {
            let range = other.worksheet_range(name).map_err(|e| corrupt(&e))?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, c, data) in range.used_cells() {
                if !blank(data) {
                    keep(
                        &mut cells,
                        &mut text,
                        r0 + r as u32,
                        c0 + c as u32,
                        Value::Data(data.clone()),
                    )?;
                }
            }
        }
    }
    Grid::from_cells(cells).map_err(|(row, col)| {
        Refusal::Corrupt(format!(
            "the file gives cell {} twice, with different contents possible, so which one counts is ambiguous",
            crate::model::findings::column_letters(col) + &(row + 1).to_string()
        ))
    })
}

thread_local! {
    /// Set while this thread runs calamine under [`quietly_catching_panics`].
    static CATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f`, catching a panic as an `Err` without the panic hook printing
/// it: a panic inside calamine (on a corrupt `.xls` record, say) becomes a
/// finding, and the user should read the finding, not a Rust panic message
/// and backtrace naming a file in calamine's source. The hook is wrapped
/// once per process and stays quiet only on a thread inside `f`, so a
/// panic anywhere else is reported as before.
fn quietly_catching_panics<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static WRAP: std::sync::Once = std::sync::Once::new();
    WRAP.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CATCHING.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was = CATCHING.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was));
    result
}
