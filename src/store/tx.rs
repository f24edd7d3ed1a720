//! A transaction on the ledger, and every query and record a command makes
//! through it, each failure a [`LedgerError`] naming the file.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use rusqlite::Transaction;

use super::{
    LedgerError, NewExport, NewPaymentRun, NewVersion, chain, exports, payments, sqlite_error, versions,
};
use crate::engine::ledger::{
    CouncilFile, EarlierReferral, ExportLine, ExportRecord, ExportedPart, PaymentRecord, Recorded, Version,
};
use crate::model::export::Stream;

/// A transaction on the ledger: every query and record a command makes, each
/// failure a [`LedgerError`] naming the file. Dropped without
/// [`Tx::commit`], it records nothing.
pub struct Tx<'l> {
    pub(super) tx: Transaction<'l>,
    pub(super) path: PathBuf,
}

impl Tx<'_> {
    fn error(&self, e: &rusqlite::Error) -> LedgerError {
        sqlite_error(&self.path, e)
    }

    /// Make everything recorded in this transaction permanent, at once.
    ///
    /// # Errors
    /// SQLite's (nothing is then recorded).
    pub fn commit(self) -> Result<(), LedgerError> {
        versions::stall_for_test(true);
        let path = self.path;
        self.tx.commit().map_err(|e| sqlite_error(&path, &e))
    }

    /// The exports of a period's settlements that carried a line of the
    /// provider: their numbers and when, oldest first.
    ///
    /// # Errors
    /// SQLite's.
    pub fn settlement_exports_of(
        &self,
        reference: &str,
        start: NaiveDate,
    ) -> Result<Vec<(i64, chrono::DateTime<chrono::Utc>, rust_decimal::Decimal)>, LedgerError> {
        exports::settlement_exports_of(&self.tx, reference, start).map_err(|e| self.error(&e))
    }

    /// The latest version recorded for a provider and period.
    ///
    /// # Errors
    /// SQLite's.
    pub fn current(&self, reference: &str, start: NaiveDate) -> Result<Option<Recorded>, LedgerError> {
        versions::current(&self.tx, reference, start).map_err(|e| self.error(&e))
    }

    /// A recorded period of the provider's that overlaps `start..=end`
    /// without being the same period.
    ///
    /// # Errors
    /// SQLite's.
    pub fn overlapping(
        &self,
        reference: &str,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Option<Recorded>, LedgerError> {
        versions::overlapping(&self.tx, reference, start, end).map_err(|e| self.error(&e))
    }

    /// The current version of each of the provider's other periods.
    ///
    /// # Errors
    /// SQLite's.
    pub fn other_periods(&self, reference: &str, start: NaiveDate) -> Result<Vec<Recorded>, LedgerError> {
        versions::other_periods(&self.tx, reference, start).map_err(|e| self.error(&e))
    }

    /// The latest version of every provider's return for a period.
    ///
    /// # Errors
    /// SQLite's.
    pub fn versions(&self, start: NaiveDate) -> Result<Vec<Version>, LedgerError> {
        versions::versions(&self.tx, start).map_err(|e| self.error(&e))
    }

    /// The council's files each version of a period was reconciled with,
    /// by the version's id.
    ///
    /// # Errors
    /// SQLite's.
    pub fn council_files(&self, start: NaiveDate) -> Result<HashMap<i64, Vec<CouncilFile>>, LedgerError> {
        versions::council_files(&self.tx, start).map_err(|e| self.error(&e))
    }

    /// The latest period recorded.
    ///
    /// # Errors
    /// SQLite's.
    pub fn latest_period(&self) -> Result<Option<NaiveDate>, LedgerError> {
        versions::latest_period(&self.tx).map_err(|e| self.error(&e))
    }

    /// Every period recorded, earliest first.
    ///
    /// # Errors
    /// SQLite's.
    pub fn periods(&self) -> Result<Vec<NaiveDate>, LedgerError> {
        exports::periods(&self.tx).map_err(|e| self.error(&e))
    }

    /// The earlier periods' referrals.
    ///
    /// # Errors
    /// SQLite's.
    pub fn referred_before(&self, start: NaiveDate) -> Result<HashMap<String, EarlierReferral>, LedgerError> {
        versions::referred_before(&self.tx, start).map_err(|e| self.error(&e))
    }

    /// Record a version of a return.
    ///
    /// # Errors
    /// SQLite's.
    pub fn insert_version(&self, v: &NewVersion<'_>) -> Result<i64, LedgerError> {
        versions::insert_version(&self.tx, v)
            .and_then(|id| chain::append(&self.tx, chain::Unit::Version, id).map(|_| id))
            .map_err(|e| self.error(&e))
    }

    /// The head of the hash chain: the hash of its last link (`store::GENESIS`
    /// for a ledger with nothing recorded).
    ///
    /// # Errors
    /// SQLite's.
    pub fn head(&self) -> Result<String, LedgerError> {
        chain::head_hash(&self.tx).map_err(|e| self.error(&e))
    }

    /// What earlier exports of a stream paid, person by person.
    ///
    /// # Errors
    /// SQLite's.
    pub fn exported_parts(&self, stream: Stream, start: NaiveDate) -> Result<Vec<ExportedPart>, LedgerError> {
        exports::exported_parts(&self.tx, stream, start).map_err(|e| self.error(&e))
    }

    /// Every export of a period.
    ///
    /// # Errors
    /// SQLite's.
    pub fn exports(&self, start: NaiveDate) -> Result<Vec<ExportRecord>, LedgerError> {
        exports::exports(&self.tx, start).map_err(|e| self.error(&e))
    }

    /// The latest export of a kind and period.
    ///
    /// # Errors
    /// SQLite's.
    pub fn last_export(&self, kind: &str, start: NaiveDate) -> Result<Option<ExportRecord>, LedgerError> {
        exports::last_export(&self.tx, kind, start).map_err(|e| self.error(&e))
    }

    /// An export by its number.
    ///
    /// # Errors
    /// SQLite's.
    pub fn export_by_id(&self, id: i64) -> Result<Option<ExportRecord>, LedgerError> {
        exports::export_by_id(&self.tx, id).map_err(|e| self.error(&e))
    }

    /// The hash of an export's own link in the chain (`None` for an export
    /// with no link).
    ///
    /// # Errors
    /// SQLite's.
    pub fn export_link(&self, id: i64) -> Result<Option<String>, LedgerError> {
        chain::link_of(&self.tx, chain::Unit::Export, id).map_err(|e| self.error(&e))
    }

    /// The number the next export will get.
    ///
    /// # Errors
    /// SQLite's.
    pub fn next_export_id(&self) -> Result<i64, LedgerError> {
        exports::next_export_id(&self.tx).map_err(|e| self.error(&e))
    }

    /// Record an export and its lines.
    ///
    /// # Errors
    /// SQLite's.
    pub fn insert_export(&self, e: &NewExport<'_>) -> Result<i64, LedgerError> {
        exports::insert_export(&self.tx, e)
            .and_then(|id| chain::append(&self.tx, chain::Unit::Export, id).map(|_| id))
            .map_err(|e| self.error(&e))
    }

    /// Every export, repeats included, oldest first.
    ///
    /// # Errors
    /// SQLite's.
    pub fn all_exports(&self) -> Result<Vec<ExportRecord>, LedgerError> {
        payments::all_exports(&self.tx).map_err(|e| self.error(&e))
    }

    /// Every export line (of one period, or of all), its parts summed.
    ///
    /// # Errors
    /// SQLite's.
    pub fn export_lines(&self, period: Option<NaiveDate>) -> Result<Vec<ExportLine>, LedgerError> {
        payments::export_lines(&self.tx, period).map_err(|e| self.error(&e))
    }

    /// Every export line recorded paid.
    ///
    /// # Errors
    /// SQLite's.
    pub fn payments(&self) -> Result<Vec<PaymentRecord>, LedgerError> {
        payments::payments(&self.tx).map_err(|e| self.error(&e))
    }

    /// The payments recorded against a provider's settlement lines of a
    /// period: export, date paid, payment reference.
    ///
    /// # Errors
    /// SQLite's.
    pub fn settlement_payments_of(
        &self,
        reference: &str,
        start: NaiveDate,
    ) -> Result<Vec<(i64, NaiveDate, String)>, LedgerError> {
        payments::settlement_payments_of(&self.tx, reference, start).map_err(|e| self.error(&e))
    }

    /// Record a `paid` run and its lines, linked in the chain; its id.
    ///
    /// # Errors
    /// SQLite's.
    pub fn insert_payment_run(&self, run: &NewPaymentRun<'_>) -> Result<i64, LedgerError> {
        payments::insert_payment_run(&self.tx, run)
            .and_then(|id| chain::append(&self.tx, chain::Unit::Payment, id).map(|_| id))
            .map_err(|e| self.error(&e))
    }
}
