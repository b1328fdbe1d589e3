/**
 * The one CSV cell writer (RFC 4180) for every CSV SegLens writes: the CLI's eval/merge reports, the viewer's
 * metric export and the dataset view's table. A text cell that a spreadsheet would run as a formula (it starts
 * with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, as OWASP recommends for CSV injection;
 * numbers are written as numbers (a negative number is not a formula).
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: numbers as JSON writes them (NaN/±Infinity spelled out), text quoted only when it must be. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-free: records are joined with "\n" by the callers, which RFC 4180 readers accept. */
export function csvRow(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return values.map(csvCell).join(',');
}
