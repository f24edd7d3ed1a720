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
    pub const ALL: [ExportKind; 5] = [
        ExportKind::Payments,
        ExportKind::Invoices,
        ExportKind::Refunds,
        ExportKind::Referrals,
        ExportKind::Remittance,
    ];

    /// The kind typed as `name`.
    pub fn named(name: &str) -> Option<ExportKind> {
        ExportKind::ALL.into_iter().find(|k| k.name() == name.trim())
    }

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

/// A column of the canonical line: every field a money movement has, in
/// both modes (from the returns, or from the ledger). A profile picks and
/// orders them; names as the plain profile's headers, matched whatever
/// their case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    ProviderReference,
    ProviderName,
    SupplierNumber,
    SupplierSite,
    PersonId,
    Name,
    PeriodStart,
    PeriodEnd,
    CommissionedHours,
    DeliveredHours,
    NetVarianceHours,
    VariancePercent,
    SettlementHeld,
    ChangeInNeed,
    Decision,
    Amount,
    Method,
    InvoiceNumber,
    InvoiceType,
    InvoiceDate,
    Currency,
    PurchaseOrder,
    CostCentre,
    ExpenseCode,
    Account,
    VatCode,
    Description,
    Line,
    Note,
    Reference,
    LedgerHead,
}

impl Field {
    /// The council.toml key that gives an accounting code field; `None` for
    /// a field that is not a code.
    pub fn code_key(self) -> Option<&'static str> {
        match self {
            Field::SupplierNumber => Some("supplier_number"),
            Field::SupplierSite => Some("supplier_site"),
            Field::PurchaseOrder => Some("purchase_order"),
            Field::CostCentre => Some("cost_centre"),
            Field::ExpenseCode => Some("expense_code"),
            Field::Account => Some("cost_centre and expense_code"),
            Field::VatCode => Some("vat_code"),
            _ => None,
        }
    }
}

/// `date` in chrono's `format`; `None` when the format cannot write a date
/// alone (a time or a time zone), which would otherwise panic.
pub fn format_date(date: chrono::NaiveDate, format: &str) -> Option<String> {
    use std::fmt::Write;
    let items = chrono::format::StrftimeItems::new(format);
    let mut out = String::new();
    write!(out, "{}", date.format_with_items(items)).ok()?;
    Some(out)
}

/// What a field holds, for a profile to format it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Money,
    Number,
    Date,
}

impl Field {
    pub const ALL: [Field; 31] = [
        Field::ProviderReference,
        Field::ProviderName,
        Field::SupplierNumber,
        Field::SupplierSite,
        Field::PersonId,
        Field::Name,
        Field::PeriodStart,
        Field::PeriodEnd,
        Field::CommissionedHours,
        Field::DeliveredHours,
        Field::NetVarianceHours,
        Field::VariancePercent,
        Field::SettlementHeld,
        Field::ChangeInNeed,
        Field::Decision,
        Field::Amount,
        Field::Method,
        Field::InvoiceNumber,
        Field::InvoiceType,
        Field::InvoiceDate,
        Field::Currency,
        Field::PurchaseOrder,
        Field::CostCentre,
        Field::ExpenseCode,
        Field::Account,
        Field::VatCode,
        Field::Description,
        Field::Line,
        Field::Note,
        Field::Reference,
        Field::LedgerHead,
    ];

    /// The field's name: the plain profile's header.
    pub fn name(self) -> &'static str {
        match self {
            Field::ProviderReference => "Provider reference",
            Field::ProviderName => "Provider name",
            Field::SupplierNumber => "Supplier number",
            Field::SupplierSite => "Supplier site",
            Field::PersonId => "Person ID",
            Field::Name => "Name",
            Field::PeriodStart => "Period start",
            Field::PeriodEnd => "Period end",
            Field::CommissionedHours => "Commissioned hours",
            Field::DeliveredHours => "Delivered hours",
            Field::NetVarianceHours => "Net variance hours",
            Field::VariancePercent => "Variance %",
            Field::SettlementHeld => "Settlement held",
            Field::ChangeInNeed => "Change in need",
            Field::Decision => "Decision",
            Field::Amount => "Amount",
            Field::Method => "Method",
            Field::InvoiceNumber => "Invoice number",
            Field::InvoiceType => "Invoice type",
            Field::InvoiceDate => "Invoice date",
            Field::Currency => "Currency",
            Field::PurchaseOrder => "Purchase order",
            Field::CostCentre => "Cost centre",
            Field::ExpenseCode => "Expense code",
            Field::Account => "Account",
            Field::VatCode => "VAT code",
            Field::Description => "Description",
            Field::Line => "Line",
            Field::Note => "Note",
            Field::Reference => "Reference",
            Field::LedgerHead => "Ledger head",
        }
    }

    /// The field named `name`, whatever its case and surrounding spaces.
    pub fn parse(name: &str) -> Option<Field> {
        let name = name.trim();
        Field::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    pub fn kind(self) -> FieldType {
        match self {
            Field::Amount | Field::SettlementHeld => FieldType::Money,
            Field::CommissionedHours
            | Field::DeliveredHours
            | Field::NetVarianceHours
            | Field::VariancePercent => FieldType::Number,
            Field::PeriodStart | Field::PeriodEnd | Field::InvoiceDate => FieldType::Date,
            _ => FieldType::Text,
        }
    }
}

/// How a negative figure is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Negative {
    /// `-12.30`
    Minus,
    /// `(12.30)`
    Brackets,
    /// `12.30-`
    Trailing,
}

/// One column of a profile: a field of the canonical line, or the same
/// text on every line (a finance system's fixed code, such as its source).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    Field { header: String, field: Field },
    Fixed { header: String, value: String },
}

impl Column {
    pub fn header(&self) -> &str {
        match self {
            Column::Field { header, .. } | Column::Fixed { header, .. } => header,
        }
    }
}

/// How an export is laid out for a finance system: which columns in what
/// order with what headers (or none), and how dates, figures, the
/// encoding and line ends are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    /// `None`: the kind's plain columns ([`plain_columns`]).
    pub columns: Option<Vec<Column>>,
    pub header: bool,
    /// chrono's `strftime` format.
    pub date_format: String,
    pub decimal: char,
    pub negative: Negative,
    pub delimiter: u8,
    pub bom: bool,
    pub crlf: bool,
    /// The exports it lays out (a payables interface has no person lines).
    pub kinds: Vec<ExportKind>,
    /// A payables interface: it takes supplier invoices and credit notes,
    /// never debtor invoices.
    pub payables: bool,
}

impl Profile {
    /// The default: the kind's columns with their names as headers, ISO
    /// dates, a byte-order mark and CRLF, so a spreadsheet opens every name
    /// right ("Siân", not "SiÃ¢n").
    pub fn plain() -> Profile {
        Profile {
            name: "plain".into(),
            columns: None,
            header: true,
            date_format: "%Y-%m-%d".into(),
            decimal: '.',
            negative: Negative::Minus,
            delimiter: b',',
            bom: true,
            crlf: true,
            kinds: ExportKind::ALL.to_vec(),
            payables: false,
        }
    }

    /// Oracle Payables' open invoice interface: one row per invoice, its
    /// header columns (`AP_INVOICES_INTERFACE`) then its one line's
    /// (`AP_INVOICE_LINES_INTERFACE`), named as Oracle's documentation
    /// names them; a credit note is of type CREDIT with a negative amount.
    pub fn oracle_payables() -> Profile {
        let f = |header: &str, field: Field| Column::Field {
            header: header.into(),
            field,
        };
        let fixed = |header: &str, value: &str| Column::Fixed {
            header: header.into(),
            value: value.into(),
        };
        Profile {
            name: "oracle-payables".into(),
            columns: Some(vec![
                f("INVOICE_NUM", Field::InvoiceNumber),
                f("INVOICE_TYPE_LOOKUP_CODE", Field::InvoiceType),
                f("INVOICE_DATE", Field::InvoiceDate),
                f("VENDOR_NUM", Field::SupplierNumber),
                f("VENDOR_SITE_CODE", Field::SupplierSite),
                f("INVOICE_AMOUNT", Field::Amount),
                f("INVOICE_CURRENCY_CODE", Field::Currency),
                f("DESCRIPTION", Field::Description),
                fixed("SOURCE", "YOURCHOICE"),
                f("PO_NUMBER", Field::PurchaseOrder),
                fixed("LINE_NUMBER", "1"),
                fixed("LINE_TYPE_LOOKUP_CODE", "ITEM"),
                f("AMOUNT", Field::Amount),
                f("DIST_CODE_CONCATENATED", Field::Account),
                f("TAX_CLASSIFICATION_CODE", Field::VatCode),
                f("ATTRIBUTE1", Field::Reference),
            ]),
            header: true,
            date_format: "%Y/%m/%d".into(),
            decimal: '.',
            negative: Negative::Minus,
            delimiter: b',',
            bom: false,
            crlf: false,
            kinds: vec![ExportKind::Payments, ExportKind::Invoices],
            payables: true,
        }
    }

    /// Why the profile cannot lay out a `kind` export, in words with the
    /// way out; `None` when it can.
    pub fn refusal(&self, kind: ExportKind, recoveries: Recoveries) -> Option<String> {
        if !self.kinds.contains(&kind) {
            let kinds: Vec<&str> = self.kinds.iter().map(|k| k.name()).collect();
            return Some(format!(
                "the profile {} lays out the {} only, not the {}: export them with --profile plain (or name their profile in council.toml under [export], e.g. {} = \"plain\")",
                self.name,
                kinds.join(" and "),
                kind.name(),
                kind.name()
            ));
        }
        if self.payables && kind == ExportKind::Invoices && recoveries == Recoveries::Invoice {
            return Some(format!(
                "the profile {} is for payables, and the invoices are debtor invoices to the providers (for accounts receivable): export them with --profile plain, or set recoveries = \"credit-note\" under [export] to net recoveries against the providers' next payments",
                self.name
            ));
        }
        None
    }

    /// A shipped profile by name.
    pub fn shipped(name: &str) -> Option<Profile> {
        match name.trim().to_ascii_lowercase().as_str() {
            "plain" => Some(Profile::plain()),
            "oracle-payables" => Some(Profile::oracle_payables()),
            _ => None,
        }
    }
}

/// The fields of a kind's plain export, in order: the same whether drawn
/// from the returns or from the ledger.
pub fn plain_columns(kind: ExportKind) -> &'static [Field] {
    use Field as F;
    match kind {
        ExportKind::Payments | ExportKind::Invoices => &[
            F::ProviderReference,
            F::ProviderName,
            F::PeriodStart,
            F::PeriodEnd,
            F::Amount,
            F::InvoiceNumber,
            F::InvoiceType,
            F::PurchaseOrder,
            F::CostCentre,
            F::ExpenseCode,
            F::VatCode,
            F::Line,
            F::Note,
            F::Reference,
            F::LedgerHead,
        ],
        ExportKind::Refunds => &[
            F::ProviderReference,
            F::PersonId,
            F::Name,
            F::Amount,
            F::Line,
            F::Note,
            F::Reference,
            F::LedgerHead,
        ],
        ExportKind::Referrals => &[
            F::ProviderReference,
            F::PersonId,
            F::Name,
            F::NetVarianceHours,
            F::VariancePercent,
            F::SettlementHeld,
            F::ChangeInNeed,
            F::Decision,
            F::Line,
            F::Note,
            F::Reference,
            F::LedgerHead,
        ],
        ExportKind::Remittance => &[
            F::ProviderReference,
            F::PersonId,
            F::Name,
            F::PeriodStart,
            F::PeriodEnd,
            F::CommissionedHours,
            F::DeliveredHours,
            F::Amount,
            F::Method,
            F::Line,
            F::Note,
            F::Reference,
            F::LedgerHead,
        ],
    }
}

/// What a recovery from a provider becomes: a debtor invoice (the
/// invoices export, for accounts receivable) or a credit note in the
/// payments export, netted against the provider's next payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Recoveries {
    #[default]
    Invoice,
    CreditNote,
}

/// A provider's accounting codes, which flow into its lines; each falls
/// back to the council's default in `[export]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountCodes {
    /// The supplier's number in the finance system (default: the
    /// provider reference).
    pub supplier_number: Option<String>,
    pub supplier_site: Option<String>,
    pub purchase_order: Option<String>,
    pub cost_centre: Option<String>,
    pub expense_code: Option<String>,
    pub vat_code: Option<String>,
}

impl AccountCodes {
    /// These codes, each missing one taken from `default`.
    pub fn or(&self, default: &AccountCodes) -> AccountCodes {
        let pick = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
        AccountCodes {
            supplier_number: pick(&self.supplier_number, &default.supplier_number),
            supplier_site: pick(&self.supplier_site, &default.supplier_site),
            purchase_order: pick(&self.purchase_order, &default.purchase_order),
            cost_centre: pick(&self.cost_centre, &default.cost_centre),
            expense_code: pick(&self.expense_code, &default.expense_code),
            vat_code: pick(&self.vat_code, &default.vat_code),
        }
    }
}

/// `[export]` in council.toml: the profiles, which one each kind uses,
/// what a recovery becomes, and the default accounting codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSettings {
    /// The profile every kind uses unless named for it.
    pub profile: String,
    /// Kind -> profile name, where a kind has its own.
    pub by_kind: Vec<(ExportKind, String)>,
    /// The council's own profiles (`[export.profiles.NAME]`).
    pub profiles: Vec<Profile>,
    pub recoveries: Recoveries,
    pub codes: AccountCodes,
    pub currency: String,
}

impl Default for ExportSettings {
    fn default() -> Self {
        ExportSettings {
            profile: "plain".into(),
            by_kind: Vec::new(),
            profiles: Vec::new(),
            recoveries: Recoveries::Invoice,
            codes: AccountCodes::default(),
            currency: "GBP".into(),
        }
    }
}

impl ExportSettings {
    /// The profile named `name`: the council's own, else a shipped one.
    pub fn named(&self, name: &str) -> Option<Profile> {
        self.profiles
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
            .cloned()
            .or_else(|| Profile::shipped(name))
    }

    /// The profile's name for `kind`.
    pub fn profile_for(&self, kind: ExportKind) -> &str {
        self.by_kind
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(self.profile.as_str(), |(_, p)| p.as_str())
    }

    /// Every profile's name, the shipped first.
    pub fn names(&self) -> Vec<String> {
        let mut names = vec!["plain".to_string(), "oracle-payables".to_string()];
        names.extend(self.profiles.iter().map(|p| p.name.clone()));
        names
    }
}

impl AccountCodes {
    /// The distribution account: the cost centre and expense code joined
    /// by `.`, only when both are given (half an account is no account).
    pub fn account(&self) -> Option<String> {
        match (&self.cost_centre, &self.expense_code) {
            (Some(c), Some(e)) => Some(format!("{c}.{e}")),
            _ => None,
        }
    }
}
