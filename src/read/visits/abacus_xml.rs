//! Access Abacus's service-delivery XML: `File`, then `ProviderContract`,
//! then `ServiceDeliveryHeader` (one a person-week, with the
//! `ServiceUserRef`), then `HomeCareVisit` (one a visit: `VisitDate`,
//! `ActualStartTime`, `ActualDuration`, `NumberOfCarers`,
//! `ManuallyAmended`, ...). Each visit is read as the CSV's line is
//! ([`super::abacus::visit`]) and named by the line its `<HomeCareVisit>`
//! starts on.
//!
//! Streamed with quick-xml, never a tree in memory; no DTD is read and no
//! entity but XML's five and character references is expanded (any other
//! is a problem, never a lookup); elements nest at most
//! [`MAX_XML_DEPTH`] deep. Element names are matched ignoring case and any
//! namespace prefix.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::abacus::{self, AbacusLine, Read};
use super::fields::fold;
use super::{Sink, joined};
use crate::base::limits::{MAX_VISITS, MAX_XML_DEPTH};
use crate::read::file::LineIndex;

/// A `HomeCareVisit` read to its end: its line, its fields by folded
/// name, and any problem found in its markup.
struct Pending {
    line: u64,
    fields: HashMap<String, String>,
    issues: Vec<String>,
}

/// The element whose text is being gathered: its folded name, its depth,
/// and its text so far.
struct Field {
    name: String,
    depth: usize,
    text: String,
}

pub(super) fn read(text: &str, sink: &mut Sink) {
    let lines = LineIndex::new(text.as_bytes());
    let mut reader = Reader::from_str(text);
    // Text kept whole (`Smith &amp; Co` is three events), trimmed once
    // the field ends.
    reader.config_mut().trim_text(false);
    let mut depth = 0usize;
    // The open header (its depth and fields) and visit, and the visits of
    // the header not yet built (its `ServiceUserRef` may come after them).
    let mut header: Option<(usize, HashMap<String, String>)> = None;
    let mut visit: Option<(usize, Pending)> = None;
    let mut pending: Vec<Pending> = Vec::new();
    let mut field: Option<Field> = None;
    let mut read: Vec<Read> = Vec::new();
    let mut seen = 0usize;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                sink.problem(
                    lines.line(at),
                    format!(
                        "the XML cannot be read from here on ({e}): the file may be cut short or edited by hand; export it again. No visit after this line was read"
                    ),
                );
                break;
            }
        };
        // The line of the markup the event starts with.
        let line = || {
            let start = text
                .get(before..)
                .and_then(|t| t.find('<'))
                .map_or(before, |i| before + i);
            lines.line(start)
        };
        match event {
            Event::Start(e) | Event::Empty(e) if depth == 0 && fold(e.local_name().as_ref()) != "file" => {
                sink.problem(
                    line(),
                    format!(
                        "the XML's first element is <{}>, not the <File> of Abacus's service-delivery XML: give Abacus's file, or a CSV export with --mapping naming its columns",
                        e.local_name().as_ref()
                    ),
                );
                return;
            }
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    sink.problem(
                        line(),
                        format!(
                            "the XML's elements nest more than {MAX_XML_DEPTH} deep here, where Abacus's nest four: it is not a service-delivery file, or it is damaged; no visit after this line was read"
                        ),
                    );
                    break;
                }
                let name = fold(e.local_name().as_ref());
                match name.as_str() {
                    "servicedeliveryheader" if visit.is_none() => header = Some((depth, HashMap::new())),
                    "homecarevisit" if visit.is_none() => {
                        seen += 1;
                        if seen > MAX_VISITS {
                            sink.too_many(line());
                            break;
                        }
                        let fields = HashMap::new();
                        visit = Some((
                            depth,
                            Pending {
                                line: line(),
                                fields,
                                issues: Vec::new(),
                            },
                        ));
                    }
                    _ => {
                        let parent = visit.as_ref().map(|v| v.0).or(header.as_ref().map(|h| h.0));
                        if parent.is_some_and(|p| p + 1 == depth) {
                            field = Some(Field {
                                name,
                                depth,
                                text: String::new(),
                            });
                        }
                    }
                }
            }
            Event::Empty(e) => {
                // `<OrderRef/>`: a blank field; `<HomeCareVisit/>`: a visit
                // with nothing in it.
                let name = fold(e.local_name().as_ref());
                if name == "homecarevisit" && visit.is_none() {
                    pending.push(Pending {
                        line: line(),
                        fields: HashMap::new(),
                        issues: Vec::new(),
                    });
                } else if let Some((_, v)) = &mut visit {
                    v.fields.entry(name).or_default();
                } else if let Some((_, h)) = &mut header {
                    h.entry(name).or_default();
                }
            }
            Event::Text(t) => {
                if let Some(f) = field.as_mut().filter(|f| f.depth == depth) {
                    f.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(c) => {
                if let Some(f) = field.as_mut().filter(|f| f.depth == depth) {
                    f.text.push_str(&c.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(f) = field.as_mut().filter(|f| f.depth == depth) {
                    let named = match &*r {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => r.resolve_char_ref().ok().flatten(),
                    };
                    match named {
                        Some(c) => f.text.push(c),
                        None => {
                            let issue = format!(
                                "the {} holds &{};, which XML does not define and which is never looked up: write the character itself",
                                f.name, &*r
                            );
                            match &mut visit {
                                Some((_, v)) => v.issues.push(issue),
                                None => sink.problem(line(), issue),
                            }
                        }
                    }
                }
            }
            Event::End(_) => {
                if let Some(f) = field.take_if(|f| f.depth == depth) {
                    let value = f.text.trim().to_string();
                    match (&mut visit, &mut header) {
                        (Some((_, v)), _) => {
                            // Which of two values is meant cannot be told.
                            if v.fields.contains_key(&f.name) {
                                v.issues.push(format!(
                                    "the {} is given twice in one HomeCareVisit: keep one",
                                    f.name
                                ));
                            }
                            v.fields.insert(f.name, value);
                        }
                        (None, Some((_, h))) => {
                            if h.contains_key(&f.name) {
                                h.insert(TWICE.into(), f.name.clone());
                            }
                            h.insert(f.name, value);
                        }
                        (None, None) => {}
                    }
                } else if let Some((_, v)) = visit.take_if(|v| v.0 == depth) {
                    pending.push(v);
                    // A visit outside any header is built at once.
                    if header.is_none() {
                        build(&mut pending, None, sink, &mut read);
                    }
                } else if let Some((_, h)) = header.take_if(|h| h.0 == depth) {
                    build(&mut pending, Some(&h), sink, &mut read);
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => {
                if depth > 0 {
                    sink.problem(
                        line(),
                        "the XML file ends before its elements are closed: it may be cut short; export it again".into(),
                    );
                }
                break;
            }
            // A DTD is never read, so no entity it declares is expanded.
            Event::DocType(_) | Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    // Visits read before a break, whose header never closed.
    build(&mut pending, header.as_ref().map(|h| &h.1), sink, &mut read);
    abacus::keep_all(read, sink);
}

/// The key a header's fields carry when one of them was given twice (its
/// name): its visits cannot be told whose they are.
const TWICE: &str = "\u{0}twice";

/// Build the pending visits of a header (its fields give the
/// `ServiceUserRef` a visit does not).
fn build(
    pending: &mut Vec<Pending>,
    header: Option<&HashMap<String, String>>,
    sink: &mut Sink,
    read: &mut Vec<Read>,
) {
    for p in pending.drain(..) {
        let get = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| p.fields.get(*n).or_else(|| header.and_then(|h| h.get(*n))))
                .cloned()
                .unwrap_or_default()
        };
        let line = AbacusLine {
            client: get(&["serviceuserref"]),
            date: get(&["visitdate"]),
            claimed_start: get(&["starttimeclaimed"]),
            claimed_duration: get(&["durationclaimed"]),
            actual_start: get(&["actualstarttime"]),
            actual_duration: get(&["actualduration"]),
            secondary: get(&["secondaryvisit"]),
            carers: get(&["numberofcarers"]),
            amended: get(&["manuallyamended"]),
            code: get(&["visitcode"]),
            carer_ref: get(&[
                "careworkerref",
                "careworkerreference",
                "careworkerid",
                "carerref",
                "carerid",
            ]),
            carer_name: get(&["careworkername", "carername"]),
            our_ref: get(&["ourref"]),
            week_ending: get(&["weekending"]),
        };
        let source = sink.source(p.line);
        let mut p = p;
        if let Some(twice) = header.and_then(|h| h.get(TWICE)) {
            p.issues.push(format!(
                "its ServiceDeliveryHeader gives the {twice} twice, so whose visit this is cannot be told: keep one"
            ));
        }
        match abacus::visit(&line, source) {
            Ok(r) if p.issues.is_empty() => read.push(r),
            Ok(_) => sink.problem(p.line, joined(p.issues)),
            Err(message) => {
                let mut issues = p.issues;
                issues.push(message);
                sink.problem(p.line, joined(issues));
            }
        }
    }
}
