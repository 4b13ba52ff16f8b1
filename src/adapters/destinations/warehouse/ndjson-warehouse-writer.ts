import { mkdir, open, readFile, realpath, truncate } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { partitionOf, toNdjsonLine, type WarehouseRow } from './warehouse-row.ts';

// Hourly-partitioned NDJSON files under the operator's warehouse root:
//   <root>/<directory>/<workspace>/<type>/dt=YYYY-MM-DD/hour=HH/events.ndjson
// Hive-style names, so BigQuery, Snowflake and DuckDB
// (read_json('…/**/*.ndjson', hive_partitioning = true)) read dt/hour as columns.
//
// Idempotency: an event always maps to the same file (by the hour it
// happened), and before appending the writer checks the event ids already in
// that file (read once, then kept in memory). Rows are appended and fsync'd
// before the send resolves, so "ok" means the line survives a power cut; a
// crash mid-append leaves at most a torn last line, which is cut off the next
// time the file is opened (its send never reported success, so it is retried).
// Concurrent sends to one file are group-committed: one append, one fsync.
//
// One writing process per directory: the id index lives in this process.
// Deployments with several worker processes should use the postgres mode.

export interface AppendOutcome {
  /** false: the event was already in the file (a retried or replayed delivery). */
  appended: boolean;
  /** Path of the file, relative to the warehouse root. */
  file: string;
}

export interface NdjsonWarehouseWriter {
  write(directory: string, row: WarehouseRow): Promise<AppendOutcome>;
}

interface Pending {
  row: WarehouseRow;
  resolve(o: AppendOutcome): void;
  reject(e: unknown): void;
}

interface FileState {
  ids: Set<string> | null;
  queue: Pending[];
  writing: boolean;
  lastUsed: number;
}

/** A path segment we build from data (workspace id, event type): nothing a path could be bent with. */
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Id indexes kept in memory; an evicted one is re-read from its file when needed. 64 hours x types is plenty. */
const MAX_OPEN_FILES = 256;

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Event ids in an existing file; cuts a torn last line left by a crash mid-append. */
async function loadIds(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw err;
  }
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) await truncate(file, Buffer.byteLength(text.slice(0, end)));
  const ids = new Set<string>();
  for (const line of text.slice(0, end).split('\n')) {
    if (line === '') continue;
    const id = (JSON.parse(line) as { event_id?: unknown }).event_id;
    if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

export function createNdjsonWarehouseWriter(opts: { root: string }): NdjsonWarehouseWriter {
  const files = new Map<string, FileState>();
  let rootReal: Promise<string> | null = null;

  /** mkdir -p, fsync the new directories' parents, and refuse a directory a symlink moved outside the root. */
  async function prepareDir(dir: string): Promise<void> {
    rootReal ??= mkdir(opts.root, { recursive: true }).then(() => realpath(opts.root));
    const root = await rootReal;
    const inside = (real: string): boolean => real === root || real.startsWith(root + sep);
    // Check the deepest existing ancestor BEFORE mkdir, so a symlink cannot
    // even get empty directories created outside the root; what mkdir then
    // creates is plain directories.
    let existing = dir;
    for (;;) {
      try {
        existing = await realpath(existing);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(existing) === existing) throw err;
        existing = dirname(existing);
      }
    }
    if (!inside(existing)) throw new Error(`warehouse directory resolves outside LINKHOOK_WAREHOUSE_DIR: ${relative(opts.root, dir)}`);
    const first = await mkdir(dir, { recursive: true });
    if (!inside(await realpath(dir))) throw new Error(`warehouse directory resolves outside LINKHOOK_WAREHOUSE_DIR: ${relative(opts.root, dir)}`);
    if (first !== undefined) {
      // A new directory entry is only durable once its parent is fsync'd.
      for (let d = dir; ; d = dirname(d)) {
        await fsyncPath(dirname(d));
        if (d === first || dirname(d) === d) break;
      }
    }
  }

  async function appendBatch(file: string, state: FileState, batch: Pending[]): Promise<void> {
    state.ids ??= await loadIds(file);
    const ids = state.ids;
    const fresh: Pending[] = [];
    for (const p of batch) if (!ids.has(p.row.event_id) && !fresh.some((f) => f.row.event_id === p.row.event_id)) fresh.push(p);
    if (fresh.length > 0) {
      await prepareDir(dirname(file));
      const fh = await open(file, 'a');
      try {
        await fh.write(fresh.map((p) => toNdjsonLine(p.row)).join(''));
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (ids.size === 0) await fsyncPath(dirname(file));
      for (const p of fresh) ids.add(p.row.event_id);
    }
    const rel = relative(opts.root, file);
    for (const p of batch) p.resolve({ appended: fresh.includes(p), file: rel });
  }

  async function drain(file: string, state: FileState): Promise<void> {
    if (state.writing) return;
    state.writing = true;
    try {
      while (state.queue.length > 0) {
        const batch = state.queue.splice(0);
        try {
          await appendBatch(file, state, batch);
        } catch (err) {
          // Part of the write may have landed: re-read the file next time.
          state.ids = null;
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      state.writing = false;
      state.lastUsed = Date.now();
      evictIdle();
    }
  }

  function evictIdle(): void {
    if (files.size <= MAX_OPEN_FILES) return;
    const idle = [...files.entries()].filter(([, s]) => !s.writing && s.queue.length === 0).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [f] of idle.slice(0, files.size - MAX_OPEN_FILES)) files.delete(f);
  }

  return {
    write(directory, row) {
      for (const seg of [row.workspace_id, row.type]) {
        if (!SAFE_SEGMENT.test(seg)) return Promise.reject(new Error(`cannot use ${JSON.stringify(seg)} in a file path`));
      }
      const { dt, hour } = partitionOf(row.occurred_at);
      const file = join(opts.root, directory, row.workspace_id, row.type, `dt=${dt}`, `hour=${hour}`, 'events.ndjson');
      let state = files.get(file);
      if (!state) {
        state = { ids: null, queue: [], writing: false, lastUsed: Date.now() };
        files.set(file, state);
      }
      const s = state;
      return new Promise<AppendOutcome>((resolve, reject) => {
        s.queue.push({ row, resolve, reject });
        void drain(file, s);
      });
    },
  };
}
