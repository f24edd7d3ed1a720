//! What every letter shares: the letterhead, the address and reference
//! block, the closing with the council's contact and the Welsh-welcome
//! sentence in both languages, and figures formatted for people.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::doc::{Block, Letter};
use crate::base::text::{pounds, thousands};
use crate::base::units::Hours;
use crate::model::letters::{Kind, Language, LetterSettings, Wording, languages};

/// What every letter of a run shares: the wording, the letterhead and the
/// letter's date.
pub struct Letterhead<'a> {
    pub wording: &'a Wording,
    pub settings: &'a LetterSettings,
    /// The logo's bytes, read once.
    pub logo: Option<&'a std::sync::Arc<Vec<u8>>>,
    pub date: NaiveDate,
}

impl Letterhead<'_> {
    pub fn say(&self, language: Language, kind: Kind, key: &str, args: &[(&str, &str)]) -> String {
        self.wording.say(language, kind, key, args)
    }

    pub fn date(&self, language: Language, day: NaiveDate) -> String {
        self.wording.date(language, day)
    }

    /// The top of a letter: the letterhead, then the addressee's lines
    /// beside the date and reference.
    pub fn top(&self, language: Language, to: Vec<String>, reference: &str) -> Vec<Block> {
        let mut lines = self.settings.address.clone();
        lines.extend(self.settings.contact.clone());
        vec![
            Block::Letterhead {
                name: self
                    .settings
                    .council
                    .clone()
                    .unwrap_or_else(|| self.say(language, Kind::Common, "council_unknown", &[])),
                lines,
                logo: self.logo.cloned(),
            },
            Block::Address {
                lines: to,
                reference: vec![
                    self.say(
                        language,
                        Kind::Common,
                        "date_line",
                        &[("date", &self.date(language, self.date))],
                    ),
                    self.say(
                        language,
                        Kind::Common,
                        "your_reference",
                        &[("reference", reference)],
                    ),
                ],
            },
        ]
    }

    /// The end of a letter: whom to contact, the sign-off, and that
    /// correspondence in Welsh is welcome, in Welsh and in English.
    pub fn close(&self, language: Language) -> Vec<Block> {
        let contact = match &self.settings.contact {
            Some(c) => self.say(language, Kind::Common, "contact", &[("contact", c)]),
            None => self.say(language, Kind::Common, "contact_unknown", &[]),
        };
        let mut blocks = vec![
            paragraph(contact),
            paragraph(self.say(language, Kind::Common, "sign_off", &[])),
            Block::Paragraph {
                text: self.say(language, Kind::Common, "signature", &[]),
                bold: true,
            },
            Block::Rule,
        ];
        for l in [Language::Welsh, Language::English] {
            blocks.push(paragraph(self.say(l, Kind::Common, "welsh_welcome", &[])));
        }
        blocks
    }

    /// A letter in the languages `choice` asks for (Welsh then English
    /// when none is recorded), each part whole, the next on a new page; its
    /// `reference` at the foot of every page, so a page that comes apart
    /// from the others is still known.
    pub fn letter(
        &self,
        choice: Option<Language>,
        kind: Kind,
        reference: &str,
        part: impl Fn(Language) -> Vec<Block>,
    ) -> Letter {
        let order = languages(choice);
        let mut blocks = Vec::new();
        for (i, language) in order.iter().enumerate() {
            if i > 0 {
                blocks.push(Block::NewPage);
            }
            blocks.extend(part(*language));
        }
        Letter {
            title: order
                .iter()
                .map(|l| self.say(*l, kind, "title", &[]))
                .collect::<Vec<_>>()
                .join(" / "),
            language: order[0].tag().to_string(),
            footer: format!(
                "{reference} · {}",
                order
                    .iter()
                    .map(|l| self.say(*l, Kind::Common, "page", &[]))
                    .collect::<Vec<_>>()
                    .join(" / ")
            ),
            blocks,
        }
    }
}

pub fn paragraph(text: String) -> Block {
    Block::Paragraph { text, bold: false }
}

/// Hours for people: `7.5`, `1,234.25` where two decimals hold them
/// exactly, else hours and minutes, `41:10` (as a provider writes them), so
/// that every figure a family adds up adds up.
pub fn hours(h: Hours) -> String {
    let seconds = h.seconds();
    if !(seconds % Decimal::from(36)).is_zero() && (seconds % Decimal::from(60)).is_zero() {
        let minutes = (seconds / Decimal::from(60)).abs();
        let (whole, rest) = ((minutes / Decimal::from(60)).trunc(), minutes % Decimal::from(60));
        let sign = if h.is_negative() { "-" } else { "" };
        return format!("{sign}{}:{rest:0>2}", thousands(&whole.to_string()));
    }
    // Thousands already separated there.
    crate::base::text::hours(h)
}

/// An exact amount of money that may be finer than a penny, to at most
/// four places: `£1,105.825`, `£182.2333`.
pub fn money_exact(amount: Decimal) -> String {
    let rounded = amount.round_dp(4).normalize();
    let text = rounded.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}£{}.{fraction:0<2}", thousands(whole))
}

/// A difference in hours with its sign: `+6`, `-1.5`, `0`.
pub fn signed_hours(h: Hours) -> String {
    if h.is_negative() || h.is_zero() {
        hours(h)
    } else {
        format!("+{}", hours(h))
    }
}

/// Money for people: `£1,234.56`.
pub fn money(amount: Decimal) -> String {
    pounds(amount)
}

/// A rate: `£24.85`, `£24.855` (as many places as it has, two at least).
pub fn rate(amount: Decimal) -> String {
    crate::base::text::rate(amount)
}

/// A person's name as a letter prints it: at most 100 characters (a name
/// typed into a return can be a page long), cut with `…`.
pub fn shown_name(name: &str) -> String {
    const MOST: usize = 100;
    if name.chars().count() <= MOST {
        name.to_string()
    } else {
        let mut cut: String = name.chars().take(MOST - 1).collect();
        cut.push('…');
        cut
    }
}

/// A name or reference as a file name part: letters, digits, `-` and `_`
/// kept, anything else `_`.
pub fn file_part(text: &str) -> String {
    let part: String = text
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if part.is_empty() { "_".to_string() } else { part }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_group_thousands() {
        assert_eq!(hours(Hours::parse("4507.58").unwrap()), "4,507.58");
        assert_eq!(hours(Hours::parse("-1234").unwrap()), "-1,234");
        assert_eq!(hours(Hours::parse("7.5").unwrap()), "7.5");
        assert_eq!(hours(Hours::parse("41:10").unwrap()), "41:10");
        assert_eq!(hours(Hours::parse("1234:05").unwrap()), "1,234:05");
        assert_eq!(signed_hours(Hours::parse("-2:10").unwrap()), "-2:10");
        assert_eq!(money_exact(Decimal::new(1_105_825, 3)), "£1,105.825");
        assert_eq!(money_exact(Decimal::new(768, 0)), "£768.00");
        assert_eq!(signed_hours(Hours::parse("6").unwrap()), "+6");
        assert_eq!(file_part("P/00 1"), "P_00_1");
    }
}
