-- yourchoice ledger, schema 3: what finance reports paid (docs/ledger.md).
-- One `payment_run` per `yourchoice paid` run, one `payment` per export
-- line it reports paid; the run and its rows are one link of the hash
-- chain (unit 'payment'). The chain is rebuilt to admit that unit: its
-- rows are copied as they are, so every hash recorded stays valid.

DROP TRIGGER chain_append_only_u;
DROP TRIGGER chain_append_only_d;
CREATE TABLE chain_new (
    seq                     INTEGER PRIMARY KEY,    -- 1, 2, ... with no gap
    unit                    TEXT NOT NULL CHECK (unit IN ('reconciliation', 'export', 'payment')),
    record_id               INTEGER NOT NULL,       -- reconciliation.id, export.id or payment_run.id
    hash                    TEXT NOT NULL,          -- hex SHA-256
    UNIQUE (unit, record_id)
);
INSERT INTO chain_new (seq, unit, record_id, hash) SELECT seq, unit, record_id, hash FROM chain ORDER BY seq;
DROP TABLE chain;
ALTER TABLE chain_new RENAME TO chain;
CREATE TRIGGER chain_append_only_u BEFORE UPDATE ON chain
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER chain_append_only_d BEFORE DELETE ON chain
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- One row per `paid` run: the file finance gave, who recorded it, when.
CREATE TABLE payment_run (
    id                      INTEGER PRIMARY KEY,
    file_name               TEXT NOT NULL,      -- the paid file as given
    file_sha256             TEXT NOT NULL,
    lines                   INTEGER NOT NULL,   -- export lines recorded paid
    total                   TEXT NOT NULL,      -- their amounts as written, summed
    tool_version            TEXT NOT NULL,
    recorded_at             TEXT NOT NULL,      -- UTC, RFC 3339
    officer                 TEXT NOT NULL
);

-- One row per export line reported paid; a line is paid once.
CREATE TABLE payment (
    id                      INTEGER PRIMARY KEY,
    payment_run_id          INTEGER NOT NULL REFERENCES payment_run (id),
    export_id               INTEGER NOT NULL REFERENCES export (id),
    line                    INTEGER NOT NULL,   -- the export's line, as export_part.line
    invoice_number          TEXT,               -- a provider's line's; null for a person's line
    paid_on                 TEXT NOT NULL,      -- yyyy-mm-dd
    payment_reference       TEXT NOT NULL,
    amount                  TEXT NOT NULL,      -- the line's amount as written: exact decimal text
    file_name               TEXT NOT NULL,
    file_sha256             TEXT NOT NULL,
    file_line               INTEGER NOT NULL,   -- the paid file's line that reported it
    recorded_at             TEXT NOT NULL,
    officer                 TEXT NOT NULL,
    UNIQUE (export_id, line)
);
CREATE INDEX payment_of ON payment (payment_run_id);

CREATE TRIGGER payment_run_append_only_u BEFORE UPDATE ON payment_run
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER payment_run_append_only_d BEFORE DELETE ON payment_run
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER payment_append_only_u BEFORE UPDATE ON payment
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER payment_append_only_d BEFORE DELETE ON payment
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
