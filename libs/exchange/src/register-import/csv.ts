import { GatewayError } from '@aeo/domain';

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes, "" for a quote inside a
 * quoted field, CRLF or LF line ends, a header row. Small and strict on purpose: an
 * unterminated quote or a row with the wrong number of fields is an error naming the line,
 * never a silently shifted column.
 */
export interface CsvTable {
  readonly header: readonly string[];
  /** Data rows as header → value maps, with their 1-based line number in the file. */
  readonly rows: readonly { readonly line: number; readonly values: Readonly<Record<string, string>> }[];
}

export function parseCsv(text: string, maxRows = 1_000_000): CsvTable {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
      if (records.length > maxRows + 1) throw new GatewayError('PAYLOAD_TOO_LARGE', `more than ${maxRows} rows`);
      fields = [];
      field = '';
      fieldStarted = false;
      line++;
      recordLine = line;
    } else if (ch === '"') {
      throw new GatewayError('SCHEMA_VIOLATION', `line ${line}: quote inside an unquoted field`, `/line/${line}`);
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new GatewayError('SCHEMA_VIOLATION', `line ${recordLine}: unterminated quoted field`, `/line/${recordLine}`);
  if (fieldStarted || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  const [head, ...data] = records;
  if (!head) throw new GatewayError('MISSING_REQUIRED_FIELD', 'the file has no header row');
  const header = head.fields.map((h) => h.trim());
  const rows = data.map(({ line: at, fields: values }) => {
    if (values.length !== header.length) {
      throw new GatewayError('SCHEMA_VIOLATION', `line ${at}: ${values.length} fields, the header has ${header.length}`, `/line/${at}`);
    }
    return { line: at, values: Object.fromEntries(header.map((name, i) => [name, values[i]])) };
  });
  return { header, rows };
}
