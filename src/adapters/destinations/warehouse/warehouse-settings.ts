import type { FieldProblem } from '../../../domain/shared/errors.ts';

// A warehouse endpoint's settings. Where the data goes physically (the
// database, the root directory) is operator config; an endpoint only picks
// a table in that database or a directory under that root. A database URL
// in endpoint settings would let any API key make the server open
// connections to hosts of its choosing (SSRF with a SQL client), and an
// absolute directory would let it write anywhere the server can.

export type WarehouseSettings = { mode: 'postgres'; table: string } | { mode: 'ndjson'; directory: string };

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function parseWarehouseSettings(settings: Record<string, unknown>): { settings: WarehouseSettings | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (settings.database_url !== undefined) {
    problems.push({ field: 'settings.database_url', message: 'is not accepted: the warehouse database is set by the operator (LINKHOOK_WAREHOUSE_DATABASE_URL)' });
  }
  if (settings.mode === 'postgres') {
    const table = settings.table;
    if (typeof table !== 'string' || !table.split('.').every((p) => IDENT.test(p)) || table.split('.').length > 2) {
      problems.push({ field: 'settings.table', message: 'must be a lower-case table name, optionally schema-qualified (e.g. "link_events" or "analytics.link_events")' });
    } else if (/^(pg_|information_schema\.)/.test(table)) {
      problems.push({ field: 'settings.table', message: 'must not be in a system schema' });
    } else {
      return { settings: problems.length === 0 ? { mode: 'postgres', table } : null, problems };
    }
    return { settings: null, problems };
  }
  if (settings.mode === 'ndjson') {
    const dir = settings.directory ?? '';
    // Relative, and every segment a plain name: no "..", no absolute path, no
    // hidden files. Symlinks are checked again at write time (realpath).
    const segments = typeof dir === 'string' ? dir.split('/').filter((s) => s !== '') : null;
    if (segments === null || segments.length > 8 || !segments.every((s) => SEGMENT.test(s) && s !== '..' && s !== '.') || (typeof dir === 'string' && dir.startsWith('/'))) {
      problems.push({ field: 'settings.directory', message: 'must be a relative path of plain names (letters, digits, ".", "_", "-") under the warehouse root' });
      return { settings: null, problems };
    }
    return { settings: problems.length === 0 ? { mode: 'ndjson', directory: segments.join('/') } : null, problems };
  }
  problems.push({ field: 'settings.mode', message: 'must be "postgres" or "ndjson"' });
  return { settings: null, problems };
}
