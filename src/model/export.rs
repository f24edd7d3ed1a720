//! What finance can export (SPEC 8.4), and which stream of money each
//! export draws on. Plain kinds: the command line maps its own argument to
//! these; the engine decides what each holds; the writers lay it out.

/// What finance exports (SPEC 8.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// One line per provider with a BACS payment.
    Payments,
    /// One line per provider with an invoice.
    Invoices,
    /// One line per person with an overcharge to refund.
    Refunds,
    /// One line per referred person.
    Referrals,
    /// The provider's remittance advice: one line per person of each
    /// authorised settlement.
    Remittance,
}

impl ExportKind {
    /// The kind's name as typed on the command line and recorded.
    pub fn name(self) -> &'static str {
        match self {
            ExportKind::Payments => "payments",
            ExportKind::Invoices => "invoices",
            ExportKind::Refunds => "refunds",
            ExportKind::Referrals => "referrals",
            ExportKind::Remittance => "remittance",
        }
    }

    /// The stream an export draws on: payments and invoices share one.
    pub fn stream(self) -> Stream {
        match self {
            ExportKind::Payments | ExportKind::Invoices => Stream::Settlement,
            ExportKind::Remittance => Stream::Remittance,
            ExportKind::Refunds => Stream::Refund,
            ExportKind::Referrals => Stream::Referral,
        }
    }
}

/// What an export keeps track of: payments and invoices are one stream (the
/// provider's net settlement, paid or recovered), the remittance advice,
/// refunds and referrals each their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stream {
    Settlement,
    Remittance,
    Refund,
    Referral,
}

impl Stream {
    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Settlement => "settlement",
            Stream::Remittance => "remittance",
            Stream::Refund => "refund",
            Stream::Referral => "referral",
        }
    }
}
