//! The letters' wording (issue 24): the shipped files in `wording/cy` and
//! `wording/en`, with the council's own files over them. A council file
//! replaces sentence by sentence: a sentence it leaves out keeps the
//! shipped wording (so a new release's new sentence never breaks a
//! council's folder), a key the shipped file does not have is refused (a
//! typo would otherwise be ignored), and so is a `{placeholder}` the
//! shipped sentence does not fill.

use std::collections::HashMap;
use std::path::Path;

use crate::base::limits::MAX_SETTINGS_BYTES;
use crate::model::letters::{Kind, Language, Wording, placeholders};
use crate::read::file::LineIndex;
use crate::read::settings_error::{Problems, SettingsError};

/// The shipped wording files, by language and kind.
const SHIPPED: [(Language, Kind, &str); 8] = [
    (
        Language::Welsh,
        Kind::Common,
        include_str!("../../wording/cy/common.toml"),
    ),
    (
        Language::Welsh,
        Kind::Statement,
        include_str!("../../wording/cy/statement.toml"),
    ),
    (
        Language::Welsh,
        Kind::Remittance,
        include_str!("../../wording/cy/remittance.toml"),
    ),
    (
        Language::Welsh,
        Kind::Hold,
        include_str!("../../wording/cy/hold.toml"),
    ),
    (
        Language::English,
        Kind::Common,
        include_str!("../../wording/en/common.toml"),
    ),
    (
        Language::English,
        Kind::Statement,
        include_str!("../../wording/en/statement.toml"),
    ),
    (
        Language::English,
        Kind::Remittance,
        include_str!("../../wording/en/remittance.toml"),
    ),
    (
        Language::English,
        Kind::Hold,
        include_str!("../../wording/en/hold.toml"),
    ),
];

/// The wording: the shipped files, then each file the council's `folder`
/// holds (`cy/statement.toml`, ...) over them.
///
/// # Errors
/// A council file that cannot be read, or a sentence in it that cannot be
/// used, named by its line.
pub fn load_wording(folder: Option<&Path>) -> Result<Wording, SettingsError> {
    let mut wording = Wording::default();
    for (language, kind, text) in SHIPPED {
        let name = format!("wording/{}/{}.toml", language.tag(), kind.file_stem());
        read_file(&mut wording, language, kind, text, &name, false)?;
    }
    let Some(folder) = folder else {
        return Ok(wording);
    };
    refuse_strangers(folder)?;
    for (language, kind, _) in SHIPPED {
        let path = folder
            .join(language.tag())
            .join(format!("{}.toml", kind.file_stem()));
        if !path.exists() {
            continue;
        }
        let shown = path.display().to_string();
        let bytes = crate::read::file::read_regular(&path, MAX_SETTINGS_BYTES).map_err(|why| {
            SettingsError::Unreadable {
                file: shown.clone(),
                why: why.to_string(),
            }
        })?;
        let text = String::from_utf8(bytes).map_err(|_| SettingsError::Unreadable {
            file: shown.clone(),
            why: "it is not UTF-8 text: save it as UTF-8 (Welsh letters need it)".to_string(),
        })?;
        read_file(&mut wording, language, kind, &text, &shown, true)?;
    }
    Ok(wording)
}

/// A file or folder in the council's wording folder that is not one of
/// the wording files (`en/statment.toml`, `EN/`, `statement.TOML`) is
/// refused: it would be ignored, and the shipped sentence printed instead
/// of the council's.
fn refuse_strangers(folder: &Path) -> Result<(), SettingsError> {
    let names: Vec<String> = Kind::ALL
        .iter()
        .map(|k| format!("{}.toml", k.file_stem()))
        .collect();
    let stranger = |path: &Path| SettingsError::Unreadable {
        file: path.display().to_string(),
        why: format!(
            "it is not a wording file: the council's wording folder holds cy/ and en/, each with some of {}",
            names.join(", ")
        ),
    };
    let list = |dir: &Path| -> Result<Vec<std::fs::DirEntry>, SettingsError> {
        std::fs::read_dir(dir)
            .and_then(|entries| entries.collect::<Result<Vec<_>, _>>())
            .map_err(|e| SettingsError::Unreadable {
                file: dir.display().to_string(),
                why: crate::read::file::plain_io(&e),
            })
    };
    for entry in list(folder)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if !(name == "cy" || name == "en") || !entry.path().is_dir() {
            return Err(stranger(&entry.path()));
        }
        for file in list(&entry.path())? {
            let name = file.file_name().to_string_lossy().into_owned();
            if !name.starts_with('.') && !names.contains(&name) {
                return Err(stranger(&file.path()));
            }
        }
    }
    Ok(())
}

/// One wording file into `wording`; with `replacing`, each key must be one
/// the shipped file has, using only its placeholders.
fn read_file(
    wording: &mut Wording,
    language: Language,
    kind: Kind,
    text: &str,
    file: &str,
    replacing: bool,
) -> Result<(), SettingsError> {
    let lines = LineIndex::new(text.as_bytes());
    let table: toml::Spanned<toml::Table> = toml::from_str(text).map_err(|e| SettingsError::Line {
        file: file.to_string(),
        line: lines.line(e.span().map_or(0, |s| s.start)),
        message: e.message().trim().replace('\n', " "),
    })?;
    let mut problems = Problems::new(file);
    // The keys with their lines: `toml::Table` keeps no spans, so each
    // key's line is found by its `key =` at the start of a line.
    let line_of = key_lines(text);
    for (key, value) in table.into_inner() {
        let line = line_of.get(key.as_str()).copied().unwrap_or(1);
        if key == "months" && kind == Kind::Common {
            match months(&value) {
                Some(m) => {
                    wording.months.insert(language, m);
                }
                None => problems.add(
                    line,
                    "months must be the twelve months' names in quotes, January first".to_string(),
                ),
            }
            continue;
        }
        let Some(sentence) = value.as_str() else {
            problems.add(
                line,
                if key == "months" {
                    format!("months belong in common.toml, not {}.toml", kind.file_stem())
                } else {
                    format!("{key} must be a sentence in quotes")
                },
            );
            continue;
        };
        if sentence.trim().is_empty() {
            problems.add(
                line,
                format!("{key} is empty: a letter would say nothing there; leave the line out to keep the shipped sentence"),
            );
            continue;
        }
        let slot = (language, kind, key.clone());
        if replacing {
            let Some(shipped) = wording.texts.get(&slot) else {
                problems.add(
                    line,
                    format!(
                        "{key} is not a sentence of the {} letter's wording: check the spelling against the shipped wording/{}/{}.toml",
                        kind.file_stem(),
                        language.tag(),
                        kind.file_stem()
                    ),
                );
                continue;
            };
            let mut allowed = placeholders(shipped);
            allowed.sort_unstable();
            allowed.dedup();
            if let Some(unknown) = placeholders(sentence).into_iter().find(|p| !allowed.contains(p)) {
                problems.add(
                    line,
                    format!(
                        "{key} uses {{{unknown}}}, which yourchoice does not fill in here: it can use {}",
                        if allowed.is_empty() {
                            "no word in braces".to_string()
                        } else {
                            allowed
                                .iter()
                                .map(|p| format!("{{{p}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ),
                );
                continue;
            }
        }
        wording.texts.insert(slot, sentence.trim().to_string());
    }
    problems.finish()
}

/// The twelve months' names, if `value` is an array of twelve strings.
fn months(value: &toml::Value) -> Option<Vec<String>> {
    let names: Vec<String> = value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(|s| s.trim().to_string()))
        .collect::<Option<_>>()?;
    (names.len() == 12 && names.iter().all(|n| !n.is_empty())).then_some(names)
}

/// The line of each `key =` at the start of a line.
fn key_lines(text: &str) -> HashMap<&str, u64> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let (key, _) = l.split_once('=')?;
            let key = key.trim();
            (!key.is_empty() && !key.starts_with('#')).then_some((key, i as u64 + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sentence is in both languages, with the same placeholders, so
    /// a Welsh letter says everything an English one does.
    #[test]
    fn the_shipped_wording_says_everything_in_both_languages() {
        let w = load_wording(None).unwrap();
        for ((language, kind, key), text) in &w.texts {
            let other = match language {
                Language::Welsh => Language::English,
                Language::English => Language::Welsh,
            };
            let twin = w
                .texts
                .get(&(other, *kind, key.clone()))
                .unwrap_or_else(|| panic!("{key} of {kind:?} has no {other:?} wording"));
            let mut a = placeholders(text);
            let mut b = placeholders(twin);
            a.sort_unstable();
            a.dedup();
            b.sort_unstable();
            b.dedup();
            assert_eq!(
                a, b,
                "{key} of {kind:?}: the placeholders differ between the languages"
            );
        }
        assert_eq!(w.months[&Language::Welsh][3], "Ebrill");
        assert_eq!(
            w.date(
                Language::Welsh,
                chrono::NaiveDate::from_ymd_opt(2026, 7, 5).unwrap()
            ),
            "5 Gorffennaf 2026"
        );
    }

    #[test]
    fn a_council_file_replaces_sentence_by_sentence_and_refuses_what_it_cannot_use() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("cy")).unwrap();
        let file = dir.path().join("cy/statement.toml");
        std::fs::write(&file, "greeting = \"Annwyl {name}!\"\n").unwrap();
        let w = load_wording(Some(dir.path())).unwrap();
        assert_eq!(
            w.say(Language::Welsh, Kind::Statement, "greeting", &[("name", "Siân")]),
            "Annwyl Siân!"
        );
        // Left out: the shipped sentence stays.
        assert!(
            w.say(Language::Welsh, Kind::Statement, "review", &[])
                .contains("5 diwrnod gwaith")
        );

        std::fs::write(&file, "# note\ngreeting = \"Annwyl {nam}\"\ngreting = \"x\"\n").unwrap();
        let e = load_wording(Some(dir.path())).unwrap_err().to_string();
        assert!(e.contains(":2: greeting uses {nam}"), "{e}");
        assert!(e.contains(":3: greting is not a sentence"), "{e}");
    }
}
