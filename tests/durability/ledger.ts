/**
 * The reliability ledger: tests record what they threw at the code and what survived, and
 * `node scripts/reliability-report.mjs` renders the figures in docs/RELIABILITY.md from it.
 * So the document only ever states what a test run actually did.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../shared';

export const LEDGER_DIR = join(PROJECT_ROOT, 'test-results', 'reliability');

export interface FaultRecord {
  fault: string;
  outcome: string;
  /** Rows of the user's library missing afterwards. Must be 0. */
  dataLost: number;
}

export interface MigrationRecord {
  database: string;
  fromVersion: number;
  toVersion: number;
  rows: number;
  rowsIntact: number;
}

export interface LedgerFile {
  suite: string;
  hostileInputs: Record<string, number>;
  faults: FaultRecord[];
  migrations: MigrationRecord[];
  figures: Record<string, string | number>;
  recordedAt: string;
}

export interface Ledger {
  hostile(kind: string, count?: number): void;
  fault(record: FaultRecord): void;
  migration(record: MigrationRecord): void;
  figure(name: string, value: string | number): void;
  /** Writes the suite's file; call from afterAll. */
  save(): void;
}

/** A ledger for one test file. `suite` names the file's JSON output. */
export function createLedger(suite: string): Ledger {
  const data: LedgerFile = {
    suite,
    hostileInputs: {},
    faults: [],
    migrations: [],
    figures: {},
    recordedAt: '',
  };
  return {
    hostile(kind, count = 1) {
      data.hostileInputs[kind] = (data.hostileInputs[kind] ?? 0) + count;
    },
    fault(record) {
      data.faults.push(record);
    },
    migration(record) {
      data.migrations.push(record);
    },
    figure(name, value) {
      data.figures[name] = value;
    },
    save() {
      data.recordedAt = new Date().toISOString();
      mkdirSync(LEDGER_DIR, { recursive: true });
      const file = suite.replace(/[^a-z0-9-]+/gi, '-').toLowerCase();
      writeFileSync(join(LEDGER_DIR, `${file}.json`), `${JSON.stringify(data, null, 2)}\n`);
    },
  };
}
