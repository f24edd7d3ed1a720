//! The statement of charges for a person (issue 24): what they were
//! charged week by week, the care they received, the refund due, and
//! their right to ask for a review.

use super::doc::{Align, Block, FigureLine, Letter, Table};
use super::words::{Letterhead, hours, money, money_exact, paragraph, rate, shown_name};
use crate::engine::letters::Statement;
use crate::model::letters::{Kind, Language};

/// Who the statement is about, and the period, as worded.
pub struct About<'a> {
    pub provider: &'a str,
    pub reference: &'a str,
    pub start: chrono::NaiveDate,
    pub end: chrono::NaiveDate,
}

/// The statement as a letter in the person's language (Welsh then English
/// when no choice is recorded).
pub fn statement(head: &Letterhead<'_>, s: &Statement<'_>, about: &About<'_>) -> Letter {
    head.letter(s.to.language, Kind::Statement, about.reference, |l| {
        part(head, s, about, l)
    })
}

fn part(head: &Letterhead<'_>, s: &Statement<'_>, about: &About<'_>, l: Language) -> Vec<Block> {
    let say = |key: &str, args: &[(&str, &str)]| head.say(l, Kind::Statement, key, args);
    let name = shown_name(s.to.name.as_deref().unwrap_or(&s.person.person_id));
    let (start, end) = (head.date(l, about.start), head.date(l, about.end));
    let mut to = vec![name.clone()];
    to.extend(s.to.address.iter().cloned());
    let mut blocks = head.top(l, to, about.reference);
    blocks.push(Block::Heading(say("title", &[])));
    blocks.push(Block::Paragraph {
        text: say(
            "subject",
            &[("provider", about.provider), ("start", &start), ("end", &end)],
        ),
        bold: true,
    });
    blocks.push(paragraph(say("greeting", &[("name", &name)])));
    blocks.push(paragraph(say(
        "intro",
        &[("provider", about.provider), ("start", &start), ("end", &end)],
    )));
    let mut plan = match s.bundle {
        Some(b) => say("bundle", &[("bundle", &hours(b)), ("provider", about.provider)]),
        None => say("bundle_varies", &[("provider", about.provider)]),
    };
    plan.push(' ');
    plan.push_str(&match s.rate {
        Some(r) => say("rate", &[("provider", about.provider), ("rate", &rate(r))]),
        None => say("rate_varies", &[("provider", about.provider)]),
    });
    blocks.push(paragraph(plan));
    let mut charge = match s.assessed {
        Some(c) => say("assessed", &[("assessed", &money(c))]),
        None => say("assessed_varies", &[]),
    };
    match (s.cap, s.weekly_charge) {
        (Some(cap), Some(weekly)) => {
            charge.push(' ');
            charge.push_str(&say(
                "capped",
                &[("cap", &money(cap)), ("weekly", &money(weekly))],
            ));
        }
        (Some(cap), None) => {
            charge.push(' ');
            charge.push_str(&say("capped_at", &[("cap", &money(cap))]));
        }
        _ if s.cap_varies => {
            charge.push(' ');
            charge.push_str(&say("capped_varies", &[]));
        }
        _ => {}
    }
    blocks.push(paragraph(charge));
    let mut rule = say("rule", &[]);
    if s.uncharged_care {
        rule.push(' ');
        rule.push_str(&say("uncharged", &[]));
    }
    blocks.push(paragraph(rule));
    blocks.push(Block::Heading(say("weeks_heading", &[])));
    blocks.push(Block::Table(weeks_table(s, head, l)));
    blocks.push(Block::Heading(say("figures_heading", &[])));
    let mut figures = vec![FigureLine {
        label: say("charged", &[]),
        value: money(s.charged),
        bold: false,
    }];
    for c in &s.cost_at_rates {
        figures.push(FigureLine {
            label: say(
                "cost_at_rate",
                &[("hours", &hours(c.hours)), ("rate", &rate(c.rate))],
            ),
            value: money(c.cost),
            bold: false,
        });
    }
    figures.push(FigureLine {
        label: say("cost", &[]),
        value: money(s.cost),
        bold: true,
    });
    figures.push(FigureLine {
        label: say("refund_due", &[]),
        value: money(s.refund),
        bold: true,
    });
    blocks.push(Block::Figures(figures));
    if let Some(exact) = s.cost_exact {
        blocks.push(paragraph(say(
            "cost_exact",
            &[("exact", &money_exact(exact)), ("cost", &money(s.cost))],
        )));
    }
    if s.refund.is_zero() {
        blocks.push(paragraph(say("no_refund", &[])));
    } else {
        let refund = money(s.refund);
        blocks.push(paragraph(say("refund", &[("refund", &refund)])));
        blocks.push(paragraph(say("refund_how", &[])));
    }
    blocks.push(Block::Heading(say("review_heading", &[])));
    blocks.push(paragraph(say("review", &[])));
    blocks.extend(head.close(l));
    blocks
}

/// Each care week: its plan's hours and their cost, the weekly charge,
/// what was charged, and the care received.
fn weeks_table(s: &Statement<'_>, head: &Letterhead<'_>, l: Language) -> Table {
    let say = |key: &str| head.say(l, Kind::Statement, key, &[]);
    let dash = || "-".to_string();
    let rows = s
        .weeks
        .iter()
        .map(|w| {
            vec![
                head.date(l, w.commencing),
                w.bundle.map_or_else(dash, hours),
                w.bundle_cost.map_or_else(dash, money),
                w.weekly_charge.map_or_else(dash, money),
                w.charged.map_or_else(|| say("not_charged"), money),
                hours(w.received),
            ]
        })
        .collect();
    Table {
        header: [
            "col_week",
            "col_bundle",
            "col_bundle_cost",
            "col_weekly",
            "col_charged",
            "col_received",
        ]
        .map(say)
        .to_vec(),
        align: vec![
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
        widths: vec![26, 16, 16, 16, 16, 18],
        rows,
        total: Some(vec![
            say("total"),
            String::new(),
            String::new(),
            String::new(),
            money(s.charged),
            hours(s.person.delivered),
        ]),
    }
}
