"""The register's database schema, as numbered migrations.

Migration n brings a register from version n-1 to n (`PRAGMA user_version`);
`Register` applies the missing ones when it opens a file, each in its own
transaction. A migration is a tuple of single SQL statements (never split on
";": a trigger or a default text may hold one). Never edit a released
migration: add the next one.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: exports, the demandes they held, their attachments, and every status change.
    (
        """
        CREATE TABLE exports (
            id INTEGER PRIMARY KEY,
            bundle TEXT NOT NULL,
            bundle_name TEXT NOT NULL,
            manifest_sha256 TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            generated_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            workspace TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE demandes (
            id TEXT PRIMARY KEY,
            couloir TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('avance', 'solde')),
            beneficiary_type TEXT NOT NULL,
            beneficiary_id TEXT NOT NULL,
            beneficiary_name TEXT NOT NULL,
            software_kind TEXT NOT NULL,
            solution TEXT NOT NULL,
            bdc_number TEXT NOT NULL,
            bdc_amount_ht TEXT NOT NULL,
            requested_ht TEXT NOT NULL,
            avance_id TEXT REFERENCES demandes (id),
            status TEXT NOT NULL,
            status_at TEXT NOT NULL,
            last_export INTEGER NOT NULL REFERENCES exports (id)
        )
        """,
        """
        CREATE INDEX demandes_beneficiary ON demandes (type, couloir, software_kind, beneficiary_type, beneficiary_id)
        """,
        """
        CREATE INDEX demandes_bdc ON demandes (bdc_number)
        """,
        """
        CREATE TABLE deposits (
            export_id INTEGER NOT NULL REFERENCES exports (id),
            demande_id TEXT NOT NULL REFERENCES demandes (id),
            json_file TEXT NOT NULL,
            json_file_sha256 TEXT NOT NULL,
            request_sha256 TEXT NOT NULL,
            request_json TEXT NOT NULL,
            PRIMARY KEY (export_id, demande_id)
        )
        """,
        """
        CREATE TABLE attachments (
            export_id INTEGER NOT NULL,
            demande_id TEXT NOT NULL,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            source TEXT NOT NULL,
            PRIMARY KEY (export_id, demande_id, name),
            FOREIGN KEY (export_id, demande_id) REFERENCES deposits (export_id, demande_id)
        )
        """,
        """
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            demande_id TEXT NOT NULL REFERENCES demandes (id),
            at TEXT NOT NULL,
            old_status TEXT,
            new_status TEXT NOT NULL,
            comment TEXT NOT NULL,
            author TEXT NOT NULL,
            source TEXT NOT NULL,
            forced INTEGER NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE INDEX history_demande ON history (demande_id, id)
        """,
    ),
    # 2: avenants (amendments) of deposited avances, each with its own portal status (#21).
    (
        """
        CREATE TABLE avenants (
            avance_id TEXT NOT NULL REFERENCES demandes (id),
            numero INTEGER NOT NULL CHECK (numero >= 1),
            status TEXT NOT NULL,
            status_at TEXT NOT NULL,
            PRIMARY KEY (avance_id, numero)
        )
        """,
    ),
)
VERSION = len(MIGRATIONS)
