import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { AlertStatus, AlertStorm } from '../../../domain/rules/rule.ts';
import { parseJson, toIso, toIsoOrNull, toMs, toMsOrNull } from './row-mapping.ts';

// Storm control state (migration 0010_alert_storms) <-> rows. Conventions in
// database.ts; the table type lives here, next to its only mapping.

export interface AlertStormsTable {
  rule_id: string;
  kind: string;
  workspace_id: string;
  window_start: number;
  window_end: number;
  notified: number;
  grouped_at: number | null;
  /** JSON array of alert ids held for the window's grouped message. */
  pending: ColumnType<unknown, string, string>;
}

export function stormToRow(s: AlertStorm): Insertable<AlertStormsTable> {
  return {
    rule_id: s.ruleId,
    kind: s.kind,
    workspace_id: s.workspaceId,
    window_start: toMs(s.windowStart),
    window_end: toMs(s.windowEnd),
    notified: s.notified,
    grouped_at: toMsOrNull(s.groupedAt),
    pending: JSON.stringify(s.pending),
  };
}

export function stormFromRow(r: Selectable<AlertStormsTable>): AlertStorm {
  return {
    ruleId: r.rule_id,
    workspaceId: r.workspace_id,
    kind: r.kind as AlertStatus,
    windowStart: toIso(r.window_start),
    windowEnd: toIso(r.window_end),
    notified: Number(r.notified),
    groupedAt: toIsoOrNull(r.grouped_at),
    pending: parseJson(r.pending),
  };
}
