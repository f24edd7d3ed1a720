//! What letters need beyond the figures: the language a person or
//! provider reads, and the council's letterhead (issue 24).

use std::path::PathBuf;

/// The language a letter is written in (Welsh Language Standards: a
/// person's choice is recorded and used; where it is not known, the letter
/// is bilingual with the Welsh first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Welsh,
    English,
}

impl Language {
    /// The BCP 47 tag (`cy`, `en`), as plans.csv and council.toml write it.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Welsh => "cy",
            Language::English => "en",
        }
    }

    /// A `Language` value as plans.csv or council.toml may write it: `cy`
    /// or `en` (any case), or the language's name in Welsh or English.
    /// `Ok(None)`: blank, not known.
    ///
    /// # Errors
    /// Any other value, with what to write instead.
    pub fn parse(text: &str) -> Result<Option<Language>, String> {
        match text.trim().to_lowercase().as_str() {
            "" => Ok(None),
            "cy" | "cym" | "welsh" | "cymraeg" => Ok(Some(Language::Welsh)),
            "en" | "eng" | "english" | "saesneg" => Ok(Some(Language::English)),
            _ => Err(format!(
                "Language \"{}\" is not a language letters are written in: write cy (Welsh), en (English), or leave it blank when the choice is not known (the letter is then in Welsh and English, the Welsh first)",
                text.trim()
            )),
        }
    }
}

/// The languages a letter is written in, in reading order: the one chosen,
/// or Welsh then English where no choice is recorded.
pub fn languages(choice: Option<Language>) -> Vec<Language> {
    match choice {
        Some(l) => vec![l],
        None => vec![Language::Welsh, Language::English],
    }
}

/// `[letters]` in council.toml: the letterhead and the council's own
/// wording. Every part is optional: without it a letter is still complete.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LetterSettings {
    /// The council's name as the letterhead shows it.
    pub council: Option<String>,
    /// The council's address lines.
    pub address: Vec<String>,
    /// How to reach the council about a letter (telephone, email), named in
    /// every letter.
    pub contact: Option<String>,
    /// A logo image (PNG or JPEG), read when letters are made.
    pub logo: Option<PathBuf>,
    /// A folder of wording files replacing the shipped ones
    /// (`cy/statement.toml`, ...).
    pub wording: Option<PathBuf>,
}

/// A kind of letter, and its wording file (`statement.toml`, ...);
/// `Common` holds what every letter says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Common,
    Statement,
    Remittance,
    Hold,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Common, Kind::Statement, Kind::Remittance, Kind::Hold];

    /// The wording file's name, without `.toml`.
    pub fn file_stem(self) -> &'static str {
        match self {
            Kind::Common => "common",
            Kind::Statement => "statement",
            Kind::Remittance => "remittance",
            Kind::Hold => "hold",
        }
    }
}

/// Every sentence of every letter in both languages: the shipped wording,
/// with the council's replacements (`[letters] wording`) over it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Wording {
    pub texts: std::collections::HashMap<(Language, Kind, String), String>,
    /// The months' names, January first, per language.
    pub months: std::collections::HashMap<Language, Vec<String>>,
}

impl Wording {
    /// The sentence `key` of `kind` in `language`, its `{placeholders}`
    /// filled from `args` (a placeholder without a value is left as
    /// written; the reader refuses a wording file that uses one its
    /// sentence does not have).
    pub fn say(&self, language: Language, kind: Kind, key: &str, args: &[(&str, &str)]) -> String {
        let text = self
            .texts
            .get(&(language, kind, key.to_string()))
            .map_or(key, String::as_str);
        fill(text, args)
    }

    /// A date as a letter writes it: `6 April 2026`, `6 Ebrill 2026`.
    pub fn date(&self, language: Language, day: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let month = self
            .months
            .get(&language)
            .and_then(|m| m.get(day.month0() as usize))
            .cloned()
            .unwrap_or_else(|| day.format("%B").to_string());
        format!("{} {month} {}", day.day(), day.year())
    }
}

/// `text` with each `{name}` of `args` replaced by its value, in one pass
/// (a value holding braces is not read again).
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if let Some((_, value)) = args.iter().find(|(k, _)| *k == name) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{placeholders}` a sentence uses, in order.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}
