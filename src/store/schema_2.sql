-- yourchoice ledger, schema 2: the hash chain (docs/ledger.md).
-- One link per recorded unit (a version of a return, or an export), each
-- the SHA-256 of the link before it and of every row of the unit
-- (store/chain.rs). Append-only like every other table.

CREATE TABLE chain (
    seq                     INTEGER PRIMARY KEY,    -- 1, 2, ... with no gap
    unit                    TEXT NOT NULL CHECK (unit IN ('reconciliation', 'export')),
    record_id               INTEGER NOT NULL,       -- reconciliation.id or export.id
    hash                    TEXT NOT NULL,          -- hex SHA-256
    UNIQUE (unit, record_id)
);

CREATE TRIGGER chain_append_only_u BEFORE UPDATE ON chain
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER chain_append_only_d BEFORE DELETE ON chain
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
