//! The provider's letters (issue 24): the remittance advice, each person's
//! settlement netting to the payment or invoice, and a notice for each
//! held settlement saying who, how much, why and what happens next.

use super::doc::{Align, Block, FigureLine, Letter, Table};
use super::statement::About;
use super::words::{Letterhead, hours, money, paragraph, shown_name, signed_hours};
use crate::base::text::percent;
use crate::engine::letters::{HoldNotice, Remittance, RemittanceLine};
use crate::engine::{Direction, Hold, Method};
use crate::model::letters::{Kind, Language};

/// The provider's postal lines: its name, then its address.
fn provider_lines(about: &About<'_>, address: &[String]) -> Vec<String> {
    let mut lines = vec![about.provider.to_string()];
    lines.extend(address.iter().cloned());
    lines
}

/// Where an export of the payment run is known (from the ledger): its
/// reference and date.
pub struct Exported {
    pub reference: String,
    pub date: chrono::NaiveDate,
    /// What finance reports paid of the provider's lines in it, once
    /// recorded (`yourchoice paid`): each date paid and payment reference.
    pub paid: Vec<(chrono::NaiveDate, String)>,
}

/// The remittance advice.
pub fn remittance(
    head: &Letterhead<'_>,
    r: &Remittance<'_>,
    about: &About<'_>,
    language: Option<Language>,
    address: &[String],
    exported: Option<(&[Exported], bool)>,
) -> Letter {
    head.letter(language, Kind::Remittance, about.reference, |l| {
        let say = |key: &str, args: &[(&str, &str)]| head.say(l, Kind::Remittance, key, args);
        let (start, end) = (head.date(l, about.start), head.date(l, about.end));
        let mut blocks = head.top(l, provider_lines(about, address), about.reference);
        blocks.push(Block::Heading(say("title", &[])));
        blocks.push(Block::Paragraph {
            text: say(
                "subject",
                &[
                    ("provider", about.provider),
                    ("reference", about.reference),
                    ("start", &start),
                    ("end", &end),
                ],
            ),
            bold: true,
        });
        blocks.push(paragraph(say("greeting", &[("provider", about.provider)])));
        blocks.push(paragraph(say("intro", &[("start", &start), ("end", &end)])));
        let amount = money(r.total.abs());
        let (outcome, total_key) = match r.method {
            Method::Bacs => (say("payment", &[("amount", &amount)]), "total_payment"),
            Method::Invoice => (say("invoice", &[("amount", &amount)]), "total_invoice"),
            Method::None => (say("nothing", &[]), "total_nothing"),
        };
        blocks.push(Block::Paragraph {
            text: outcome,
            bold: true,
        });
        // From the ledger: each export that carried the provider's lines
        // (without one, whether it was exported is not known here).
        match exported {
            Some(([], _)) => blocks.push(paragraph(say("not_exported", &[]))),
            Some((exports, complete)) => {
                for e in exports {
                    blocks.push(paragraph(say(
                        "exported",
                        &[("date", &head.date(l, e.date)), ("reference", &e.reference)],
                    )));
                    for (on, payment_reference) in &e.paid {
                        blocks.push(paragraph(say(
                            "paid",
                            &[
                                ("date", &head.date(l, *on)),
                                ("payment_reference", payment_reference),
                            ],
                        )));
                    }
                }
                // What changed since (a resubmission, a hold released) is
                // in no export yet.
                if !complete {
                    blocks.push(paragraph(say("partly_exported", &[])));
                }
            }
            None => {}
        }
        blocks.push(Block::Table(lines_table(head, l, &r.lines)));
        // The invoice's total as the invoice states it: a sum owed, not a
        // negative payment.
        blocks.push(total(say(total_key, &[]), r.total.abs()));
        if !r.held.is_empty() {
            blocks.push(Block::Heading(say("held_heading", &[])));
            blocks.push(paragraph(say("held_intro", &[])));
            blocks.push(Block::Table(lines_table(head, l, &r.held)));
            blocks.push(total(say("held_total", &[]), r.held_total));
        }
        blocks.extend(head.close(l));
        blocks
    })
}

/// A table's total, under it: the words at the left, the amount at the
/// right (a total row's narrow first column would break the words).
fn total(label: String, sum: rust_decimal::Decimal) -> Block {
    Block::Figures(vec![FigureLine {
        label,
        value: money(sum),
        bold: true,
    }])
}

fn lines_table(head: &Letterhead<'_>, l: Language, lines: &[RemittanceLine<'_>]) -> Table {
    let say = |key: &str| head.say(l, Kind::Remittance, key, &[]);
    Table {
        header: [
            "col_person",
            "col_name",
            "col_commissioned",
            "col_delivered",
            "col_variance",
            "col_amount",
        ]
        .map(say)
        .to_vec(),
        align: vec![
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
        widths: vec![12, 26, 20, 17, 17, 16],
        rows: lines
            .iter()
            .map(|line| {
                vec![
                    line.person.person_id.clone(),
                    line.person.name.as_deref().map(shown_name).unwrap_or_default(),
                    hours(line.person.commissioned),
                    hours(line.person.delivered),
                    signed_hours(line.person.net_variance),
                    money(line.amount),
                ]
            })
            .collect(),
        total: None,
    }
}

/// A notice of one held settlement.
pub fn hold_notice(
    head: &Letterhead<'_>,
    n: &HoldNotice<'_>,
    about: &About<'_>,
    language: Option<Language>,
    address: &[String],
    tolerance: rust_decimal::Decimal,
) -> Letter {
    let hold_reference = format!("{}/{}", about.reference, n.person.person_id);
    head.letter(language, Kind::Hold, &hold_reference, |l| {
        let say = |key: &str, args: &[(&str, &str)]| head.say(l, Kind::Hold, key, args);
        let p = n.person;
        let person = shown_name(p.name.as_deref().unwrap_or(&p.person_id));
        let id = p.person_id.as_str();
        let (start, end) = (head.date(l, about.start), head.date(l, about.end));
        let mut blocks = head.top(l, provider_lines(about, address), &hold_reference);
        blocks.push(Block::Heading(say("title", &[])));
        blocks.push(Block::Paragraph {
            text: say(
                "subject",
                &[("person", &person), ("id", id), ("start", &start), ("end", &end)],
            ),
            bold: true,
        });
        blocks.push(paragraph(say("greeting", &[("provider", about.provider)])));
        let amount = money(n.amount);
        let key = match n.method {
            Method::Bacs => "held_payment",
            Method::Invoice => "held_recovery",
            Method::None => "held_nothing",
        };
        blocks.push(Block::Paragraph {
            text: say(key, &[("amount", &amount), ("person", &person), ("id", id)]),
            bold: true,
        });
        blocks.push(Block::Heading(say("why_heading", &[])));
        let referred = say(
            "why_referred",
            &[
                ("delivered", &hours(p.delivered)),
                ("commissioned", &hours(p.commissioned)),
                ("variance", &signed_hours(p.net_variance)),
                (
                    "percent",
                    &p.variance_percent
                        .map_or_else(|| "-".to_string(), |v| crate::base::units::format_fixed(v, 2)),
                ),
                ("tolerance", &hours(p.tolerance)),
                ("tolerance_percent", &percent(tolerance).to_string()),
                ("person", &person),
            ],
        );
        let why = match n.why {
            Hold::Referred => None,
            Hold::NotInPlans => Some(say("why_not_in_plans", &[("person", &person)])),
            Hold::PlanGap => Some(say("why_plan_gap", &[("person", &person)])),
            Hold::StaleDecision => Some(say("why_stale", &[])),
        };
        // The rule that held it, and the referral too where the person is
        // outside the tolerance whatever else holds it.
        blocks.extend(why.map(paragraph));
        if p.status == crate::engine::PersonStatus::Referred {
            blocks.push(paragraph(referred));
        }
        if let Some(c) = n.change_in_need {
            let direction = match c.direction {
                Direction::More => say("more", &[]),
                Direction::Less => say("less", &[]),
            };
            blocks.push(paragraph(say(
                "change_in_need",
                &[
                    ("first", &c.first_week.to_string()),
                    ("last", &c.last_week.to_string()),
                    ("direction", &direction),
                    ("person", &person),
                ],
            )));
        }
        blocks.push(Block::Heading(say("next_heading", &[])));
        // The officer's reason is not quoted: it may hold what the social
        // worker knows of the person, which is not the provider's to read.
        blocks.push(paragraph(match n.decide_by {
            _ if n.kept_held => say("next_kept", &[]),
            Some(by) if by < head.date => say("next_overdue", &[("date", &head.date(l, by))]),
            by => say(
                "next",
                &[("date", &by.map(|d| head.date(l, d)).unwrap_or_default())],
            ),
        }));
        blocks.extend(head.close(l));
        blocks
    })
}
