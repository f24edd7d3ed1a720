//! Reconciling one person whose weeks passed every check (SPEC 2-4): the
//! person's weeks priced, the figures over them, the findings they raise
//! and the settlement.

use rust_decimal::Decimal;

use super::{Person, Slot, week_label, who};
use crate::base::text::{self, percent, pounds};
use crate::base::units::{Hours, format_fixed};
use crate::engine::period::amount_in_force;
use crate::engine::result::{Direction, Hold, PersonResult, PersonStatus, PersonWeek, Settlement};
use crate::engine::rules::{self, Bank, BillableWeek, ChangeInNeed, Charge};
use crate::model::findings::{Code, Finding, Findings, Location, Sheet};
use crate::model::settings::Settings;
use crate::model::{Period, WeekCell};

/// Reconcile one person whose weeks passed every check (SPEC 2-4), adding
/// the person's warnings and notices to `findings`.
pub fn reconcile_person(
    person: &Person<'_>,
    slots: &[Slot<'_>],
    period: &Period,
    week_rates: &[Decimal],
    settings: &Settings,
    findings: &mut Findings,
) -> PersonResult {
    let who = who(person);
    let Weeks {
        mut weeks,
        billable,
        first_no_care,
    } = lay_out_weeks(slots, period, week_rates, settings);
    let figures = Figures::of(&billable, settings);
    for (k, b) in &figures.balances {
        weeks[(*k - 1) as usize].balance = Some(*b);
    }
    let first_row = person.rows.first().map(|r| r.row).unwrap_or_default();
    let row_at = Location::row(Sheet::Hours, first_row);
    let week_at = |k: u32| slots.get((k - 1) as usize).and_then(|s| s.at).unwrap_or(row_at);
    // One notice for all of a person's no-care weeks; none beside
    // `no-care-in-period`, which says it of every week.
    if !billable.is_empty() {
        report_no_care_weeks(person, &who, &weeks, period, first_no_care, findings);
    }

    let say = Say {
        person,
        who: &who,
        settings,
    };
    let (status, settlement, charge) = if billable.is_empty() {
        say.no_care_in_period(row_at, findings);
        (PersonStatus::NoCare, None, None)
    } else {
        let within = rules::within_tolerance(figures.net_variance, figures.tolerance);
        let amount = rules::settlement_amount(&billable);
        if !within {
            say.outside_tolerance(&figures, amount, row_at, findings);
        }
        if let Some(k) = figures.bank.limit_first_week {
            say.bank_limit_exceeded(&figures, period, k, week_at(k), findings);
        }
        if let Some(c) = &figures.change_in_need {
            say.change_in_need(c, week_at(c.first_week), findings);
        }
        settle(within, plans_hold(slots), amount, &billable)
    };

    PersonResult {
        person_id: person.id.clone(),
        name: person.rows.iter().find_map(|r| r.name.clone()),
        rows: person.rows.iter().map(|r| r.row).collect(),
        status,
        commissioned: figures.commissioned,
        delivered: figures.delivered,
        net_variance: figures.net_variance,
        variance_percent: figures.variance_percent,
        tolerance: figures.tolerance,
        bank: figures.bank,
        change_in_need: figures.change_in_need,
        settlement,
        charge,
        weeks,
        notes: person.rows.iter().filter_map(|r| r.notes.clone()).collect(),
    }
}

/// A person's period weeks as the result shows them, the billable ones
/// among them, and where the first no-care week is.
struct Weeks {
    weeks: Vec<PersonWeek>,
    billable: Vec<BillableWeek>,
    /// Where the first no-care week is: one notice names them all.
    first_no_care: Option<Location>,
}

/// Owns turning slots into weeks: each period week with its bundle, hours
/// and rate, and each billable week priced and charged.
fn lay_out_weeks(slots: &[Slot<'_>], period: &Period, week_rates: &[Decimal], settings: &Settings) -> Weeks {
    let mut billable = Vec::new();
    let mut weeks_out = Vec::with_capacity(slots.len());
    let mut first_no_care: Option<Location> = None;
    // One rate per period week, as one slot per period week.
    for (i, (slot, rate)) in slots.iter().zip(week_rates).enumerate() {
        let k = i as u32 + 1;
        let mut week = PersonWeek {
            week: k,
            care: slot.row.is_some(),
            bundle: slot.bundle,
            delivered: slot.cell.and_then(WeekCell::hours),
            balance: None,
            rate: slot.row.map(|_| *rate),
            charge: None,
            assessed: None,
            charge_cap: None,
        };
        if week.is_no_care() && first_no_care.is_none() {
            first_no_care = slot.at;
        }
        // A billable week has its row and bundle: every care week does once
        // the checks passed.
        let (true, Some(row), Some(bundle), Some(delivered)) =
            (week.is_billable(), slot.row, week.bundle, week.delivered)
        else {
            weeks_out.push(week);
            continue;
        };
        let monday = period.week_commencing(k);
        let b = BillableWeek {
            week: k,
            bundle,
            delivered,
            rate: *rate,
            charge: row.charge.as_ref().map(|c| c.value),
            charge_cap: amount_in_force(&settings.max_weekly_charge, monday),
        };
        week.charge = rules::week_charge(&b);
        if week.charge.is_some() {
            week.assessed = b.charge;
            week.charge_cap = b.charge_cap;
        }
        weeks_out.push(week);
        billable.push(b);
    }
    Weeks {
        weeks: weeks_out,
        billable,
        first_no_care,
    }
}

/// The SPEC's figures over one person's billable weeks.
struct Figures {
    commissioned: Hours,
    delivered: Hours,
    net_variance: Hours,
    tolerance: Hours,
    /// The bank balance after each billable week: (week, balance).
    balances: Vec<(u32, Hours)>,
    bank: Bank,
    change_in_need: Option<ChangeInNeed>,
    variance_percent: Option<Decimal>,
}

impl Figures {
    /// Owns computing the figures (SPEC 2-3) from the billable weeks.
    fn of(billable: &[BillableWeek], settings: &Settings) -> Figures {
        let commissioned = rules::commissioned_hours(billable);
        let net_variance = rules::net_variance(billable);
        let tolerance = rules::tolerance_hours(commissioned, settings.tolerance);
        let balances = rules::bank_balance(billable);
        let bank = rules::bank_limit(&balances, tolerance);
        Figures {
            commissioned,
            delivered: rules::delivered_hours(billable),
            net_variance,
            tolerance,
            bank,
            balances,
            change_in_need: rules::change_in_need(billable, settings.tolerance, settings.sustained_weeks),
            variance_percent: rules::variance_percent(net_variance, commissioned),
        }
    }
}

/// Owns the `no-care-week` notice: one for all of a person's no-care weeks
/// (only for a person with billable weeks; `no-care-in-period` says it of
/// every week otherwise).
fn report_no_care_weeks(
    person: &Person<'_>,
    who: &str,
    weeks: &[PersonWeek],
    period: &Period,
    first_no_care: Option<Location>,
    findings: &mut Findings,
) {
    let no_care: Vec<u32> = weeks.iter().filter(|w| w.is_no_care()).map(|w| w.week).collect();
    if no_care.is_empty() {
        return;
    }
    let dates = match (no_care.first(), no_care.last()) {
        (Some(&a), Some(&b)) if a == b => format!("w/c {}", text::date(period.week_commencing(a))),
        (Some(&a), Some(&b)) => format!(
            "w/c {} to w/c {}",
            text::date(period.week_commencing(a)),
            text::date(period.week_commencing(b))
        ),
        _ => String::new(),
    };
    findings.push(
        Finding::new(
            Code::NoCareWeek,
            format!(
                "{who}: 0 hours in {} {} ({dates}). No care was provided, so {} bundle is \
                 not commissioned, billed or charged.",
                if no_care.len() == 1 { "week" } else { "weeks" },
                text::week_runs(&no_care),
                if no_care.len() == 1 {
                    "that week's"
                } else {
                    "those weeks'"
                },
            ),
        )
        .at_opt(first_no_care)
        .person(&person.id),
    );
}

/// Owns the status, settlement and charge of a person with billable weeks:
/// a settlement outside the tolerance is held for the officer's decision.
fn settle(
    within: bool,
    plans: Option<Hold>,
    amount: Decimal,
    billable: &[BillableWeek],
) -> (PersonStatus, Option<Settlement>, Option<Charge>) {
    let status = if within {
        PersonStatus::WithinTolerance
    } else {
        PersonStatus::Referred
    };
    // Paid or recovered only where a rule authorises it: within the
    // tolerance, on the council's own plans for every care week.
    let hold = if within { plans } else { Some(Hold::Referred) };
    let settlement = Settlement {
        amount,
        authorised: hold.is_none(),
        decision: None,
        hold,
    };
    (status, Some(settlement), rules::service_user_charge(billable))
}

/// Whether the council's plans leave the settlement to the officer: the
/// person is in no plan for this provider, or in care in a week no plan
/// covers (where the plans were given).
fn plans_hold(slots: &[Slot<'_>]) -> Option<Hold> {
    let care = || slots.iter().filter(|s| s.row.is_some());
    if care().next().is_some() && care().all(|s| s.unplanned) {
        Some(Hold::NotInPlans)
    } else if care().any(|s| s.unplanned) {
        Some(Hold::PlanGap)
    } else {
        None
    }
}

/// Who the person's warnings are about, and the settings they quote.
struct Say<'a> {
    person: &'a Person<'a>,
    who: &'a str,
    settings: &'a Settings,
}

impl Say<'_> {
    /// Owns the `no-care-in-period` notice.
    fn no_care_in_period(&self, at: Location, findings: &mut Findings) {
        let who = self.who;
        findings.push(
            Finding::new(
                Code::NoCareInPeriod,
                format!(
                    "{who}: no care was delivered in any week of the period, so there is no \
                     settlement and no charge. If care was delivered, enter the hours."
                ),
            )
            .at(at)
            .person(&self.person.id),
        );
    }

    /// Owns the `outside-tolerance` warning.
    fn outside_tolerance(&self, f: &Figures, amount: Decimal, at: Location, findings: &mut Findings) {
        let who = self.who;
        findings.push(
            Finding::new(
                Code::OutsideTolerance,
                format!(
                    "{who}: {} hours delivered against {} commissioned, a net variance of {} \
                     hours ({}%), outside the {}% tolerance (±{} hours). The council will \
                     refer this person for a social work review, and the settlement of {} \
                     waits for the monitoring officer's decision.",
                    f.delivered,
                    f.commissioned,
                    signed(f.net_variance),
                    f.variance_percent.map(|p| format_fixed(p, 2)).unwrap_or_default(),
                    percent(self.settings.tolerance),
                    f.tolerance,
                    pounds(amount),
                ),
            )
            .at(at)
            .person(&self.person.id),
        );
    }

    /// Owns the `bank-limit-exceeded` warning for week `k`.
    fn bank_limit_exceeded(
        &self,
        f: &Figures,
        period: &Period,
        k: u32,
        at: Location,
        findings: &mut Findings,
    ) {
        let who = self.who;
        findings.push(
            Finding::new(
                Code::BankLimitExceeded,
                format!(
                    "{who}: the bank balance first went beyond ±{} hours ({}% of the period's \
                     commissioned hours) in {}; the peak was {} hours. Hours banked or used \
                     early should stay within the tolerance through the period.",
                    f.tolerance,
                    percent(self.settings.tolerance),
                    week_label(Some(period), k),
                    f.bank.peak
                ),
            )
            .at(at)
            .person(&self.person.id),
        );
    }

    /// Owns the `change-in-need` warning.
    fn change_in_need(&self, c: &ChangeInNeed, at: Location, findings: &mut Findings) {
        let who = self.who;
        findings.push(
            Finding::new(
                Code::ChangeInNeed,
                format!(
                    "{who}: weeks {} to {} were each more than {}% {} the bundle. A \
                     sustained difference may mean a change in need: the provider should \
                     report it to the council, which will consider a review.",
                    c.first_week,
                    c.last_week,
                    percent(self.settings.tolerance),
                    match c.direction {
                        Direction::More => "over",
                        Direction::Less => "under",
                    }
                ),
            )
            .at(at)
            .person(&self.person.id),
        );
    }
}

fn signed(h: Hours) -> String {
    if h.is_negative() || h.is_zero() {
        h.to_string()
    } else {
        format!("+{h}")
    }
}
