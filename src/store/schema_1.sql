-- yourchoice ledger, schema 1 (docs/ledger.md describes every column).
-- Append-only: the triggers at the end refuse every UPDATE and DELETE.

PRAGMA application_id = 1497582663; -- 0x59434C47, "YCLG"

-- One row per version of a provider's reconciliation for a period.
CREATE TABLE reconciliation (
    id                      INTEGER PRIMARY KEY,
    provider_reference      TEXT NOT NULL,      -- trimmed, upper case
    provider_name           TEXT,
    period_start            TEXT NOT NULL,      -- yyyy-mm-dd
    period_end              TEXT NOT NULL,
    version                 INTEGER NOT NULL CHECK (version >= 1),
    supersedes              INTEGER REFERENCES reconciliation (id),
    change                  TEXT NOT NULL CHECK (change IN
                                ('first', 'decisions', 'settings', 'resubmission', 'correction')),
    reason                  TEXT,               -- the --resubmission reason
    file_name               TEXT NOT NULL,
    file_sha256             TEXT NOT NULL,
    fingerprint             TEXT NOT NULL,
    status                  TEXT NOT NULL CHECK (status IN ('reconciled', 'rejected')),
    submitted               TEXT,               -- the return's Submission date
    late                    INTEGER NOT NULL,
    decisions               TEXT NOT NULL,      -- decisions applied, one per line
    authorised              TEXT,               -- money: exact decimal text
    held                    TEXT,
    held_payments           TEXT,
    held_recoveries         TEXT,
    held_count              INTEGER,
    referred_count          INTEGER,
    within_tolerance_count  INTEGER,
    no_care_count           INTEGER,
    overcharge_refunds      TEXT,
    refund_count            INTEGER,
    commissioned_seconds    TEXT,               -- hours as exact seconds
    delivered_seconds       TEXT,
    result_json             TEXT NOT NULL,      -- the SPEC 8.2 document
    tool_version            TEXT NOT NULL,
    recorded_at             TEXT NOT NULL,      -- UTC, RFC 3339
    officer                 TEXT NOT NULL,
    UNIQUE (provider_reference, period_start, version)
);
CREATE INDEX reconciliation_period ON reconciliation (period_start, provider_reference);
CREATE INDEX reconciliation_end ON reconciliation (period_end);

-- Each person's figures in a version.
CREATE TABLE person (
    reconciliation_id       INTEGER NOT NULL REFERENCES reconciliation (id),
    seq                     INTEGER NOT NULL,   -- order in the workbook
    person_id               TEXT NOT NULL,
    name                    TEXT,
    status                  TEXT NOT NULL CHECK (status IN ('within_tolerance', 'referred', 'no_care')),
    commissioned_hours      TEXT NOT NULL,      -- SPEC 8.2 hours text
    delivered_hours         TEXT NOT NULL,
    net_variance_hours      TEXT NOT NULL,
    variance_percent        TEXT,
    tolerance_hours         TEXT NOT NULL,
    bank_peak_hours         TEXT NOT NULL,
    settlement              TEXT,
    authorised              INTEGER NOT NULL,
    method                  TEXT,
    decision_action         TEXT CHECK (decision_action IN ('authorise', 'hold')),
    decision_officer        TEXT,
    decision_reason         TEXT,
    decision_source         TEXT,
    change_first_week       INTEGER,
    change_last_week        INTEGER,
    change_direction        TEXT,
    charged                 TEXT,
    cost_of_care_received   TEXT,
    overcharge              TEXT NOT NULL,
    PRIMARY KEY (reconciliation_id, seq)
);
CREATE INDEX person_id ON person (person_id);

-- Every finding of a version, in the order shown.
CREATE TABLE finding (
    reconciliation_id       INTEGER NOT NULL REFERENCES reconciliation (id),
    seq                     INTEGER NOT NULL,
    severity                TEXT NOT NULL,
    code                    TEXT NOT NULL,
    message                 TEXT NOT NULL,
    cell                    TEXT,
    person_id               TEXT,
    PRIMARY KEY (reconciliation_id, seq)
);

-- The council's files applied to a version.
CREATE TABLE settings_file (
    reconciliation_id       INTEGER NOT NULL REFERENCES reconciliation (id),
    role                    TEXT NOT NULL,
    path                    TEXT NOT NULL,
    sha256                  TEXT NOT NULL
);
CREATE INDEX settings_file_of ON settings_file (reconciliation_id);

-- One row per export: what finance was given, when, by whom.
CREATE TABLE export (
    id                      INTEGER PRIMARY KEY,
    kind                    TEXT NOT NULL CHECK (kind IN
                                ('payments', 'invoices', 'refunds', 'referrals', 'remittance')),
    stream                  TEXT NOT NULL CHECK (stream IN
                                ('settlement', 'remittance', 'refund', 'referral')),
    period_start            TEXT NOT NULL,
    repeat_of               INTEGER REFERENCES export (id),
    lines                   INTEGER NOT NULL,
    total                   TEXT NOT NULL,
    file                    TEXT,               -- null: standard output
    csv                     BLOB NOT NULL,      -- the file as written
    csv_sha256              TEXT NOT NULL,
    tool_version            TEXT NOT NULL,
    exported_at             TEXT NOT NULL,
    officer                 TEXT NOT NULL
);
CREATE INDEX export_period ON export (period_start, stream);

-- Each person's share of each exported line (none for a repeat).
CREATE TABLE export_part (
    export_id               INTEGER NOT NULL REFERENCES export (id),
    line                    INTEGER NOT NULL,   -- 1-based, after the header
    reconciliation_id       INTEGER NOT NULL REFERENCES reconciliation (id),
    provider_reference      TEXT NOT NULL,
    person_id               TEXT NOT NULL,
    item                    TEXT NOT NULL CHECK (item IN ('first', 'released hold', 'difference')),
    amount                  TEXT NOT NULL
);
CREATE INDEX export_part_of ON export_part (export_id);

CREATE TRIGGER reconciliation_append_only_u BEFORE UPDATE ON reconciliation
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER reconciliation_append_only_d BEFORE DELETE ON reconciliation
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER person_append_only_u BEFORE UPDATE ON person
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER person_append_only_d BEFORE DELETE ON person
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER finding_append_only_u BEFORE UPDATE ON finding
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER finding_append_only_d BEFORE DELETE ON finding
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER settings_file_append_only_u BEFORE UPDATE ON settings_file
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER settings_file_append_only_d BEFORE DELETE ON settings_file
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER export_append_only_u BEFORE UPDATE ON export
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER export_append_only_d BEFORE DELETE ON export
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER export_part_append_only_u BEFORE UPDATE ON export_part
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER export_part_append_only_d BEFORE DELETE ON export_part
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
