// CSV as spreadsheets read it (RFC 4180), made safe to open: a cell that a
// spreadsheet would run as a formula is prefixed with an apostrophe (OWASP's
// CSV-injection advice). A click's referrer or user agent is attacker text,
// so "=HYPERLINK(...)" in it must arrive as text, not as a live formula.

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

export type CsvValue = string | number | boolean | null | undefined;

/** One cell: neutralised, then quoted when it holds a quote, comma or line break. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && s.length > 0 && FORMULA_START.has(s.charAt(0))) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, CRLF-terminated as RFC 4180 says. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
