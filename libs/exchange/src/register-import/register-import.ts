import { GatewayError, type Environment } from '@aeo/domain';
import type { ChangeResult, HomeRecordChange, HomeRegisterService } from '../home-register-service.js';
import { parseCsv } from './csv.js';
import { checkChange, rowToChange } from './register-row.js';

export interface RejectedRow {
  /** 1-based line of the CSV file, or 1-based index in a JSON array. */
  readonly row: number;
  readonly aeoId: string | null;
  readonly code: string;
  readonly message: string;
  readonly path: string | null;
}

export interface ImportReport {
  readonly total: number;
  readonly imported: number;
  readonly rejected: readonly RejectedRow[];
  readonly deltas: readonly { partner: string; messageId: string; records: number }[];
  readonly notSent: readonly { partner: string; reasonCode: string; detail: string }[];
}

export interface ImportOptions {
  readonly actor: string;
  readonly environment?: Environment;
  /** Rows per transaction (and per delta to each partner). */
  readonly chunkSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

type Parsed = { row: number; aeoId: string | null; change?: HomeRecordChange; error?: GatewayError };

function parseRows(text: string, format: 'csv' | 'json'): Parsed[] {
  if (format === 'csv') {
    return parseCsv(text).rows.map(({ line, values }) => {
      try {
        return { row: line, aeoId: values.aeoId?.trim() || null, change: rowToChange(values) };
      } catch (error) {
        if (error instanceof GatewayError) return { row: line, aeoId: values.aeoId?.trim() || null, error };
        throw error;
      }
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new GatewayError('MALFORMED_JSON', `not JSON: ${(cause as Error).message}`, undefined, { cause });
  }
  if (!Array.isArray(data)) throw new GatewayError('SCHEMA_VIOLATION', 'a JSON register export is an array of records', '/');
  return data.map((item, i) => {
    const aeoId = typeof (item as { aeoId?: unknown })?.aeoId === 'string' ? (item as { aeoId: string }).aeoId : null;
    try {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new GatewayError('SCHEMA_VIOLATION', 'each entry must be an object', `/${i}`);
      const change = item as HomeRecordChange;
      checkChange(change);
      return { row: i + 1, aeoId, change };
    } catch (error) {
      if (error instanceof GatewayError) return { row: i + 1, aeoId, error };
      throw error;
    }
  });
}

/**
 * Import a national register export. Every row is validated on its own; good rows are
 * applied in chunks (each chunk one transaction with its deltas and audit entries), bad
 * rows are reported with their reason and change nothing. A row is applied whole or not at
 * all, and an AEO listed twice keeps only its first row (the second is reported).
 */
export async function importRegister(text: string, format: 'csv' | 'json', service: HomeRegisterService, options: ImportOptions): Promise<ImportReport> {
  const parsed = parseRows(text, format);
  const rejected: RejectedRow[] = [];
  const good: HomeRecordChange[] = [];
  const seen = new Set<string>();
  for (const item of parsed) {
    if (item.error) {
      rejected.push({ row: item.row, aeoId: item.aeoId, code: item.error.code, message: item.error.message, path: item.error.path ?? null });
    } else if (seen.has(item.change!.aeoIdNormalized)) {
      rejected.push({ row: item.row, aeoId: item.aeoId, code: 'BUSINESS_RULE_VIOLATION', message: 'the same AEO appears on an earlier row', path: '/aeoId' });
    } else {
      seen.add(item.change!.aeoIdNormalized);
      good.push(item.change!);
    }
  }
  const chunkSize = options.chunkSize ?? 500;
  const deltas: ChangeResult['queued'][number][] = [];
  const notSent: ChangeResult['notSent'][number][] = [];
  for (let i = 0; i < good.length; i += chunkSize) {
    const result = await service.change(good.slice(i, i + chunkSize), options.actor, options.environment ?? 'production');
    deltas.push(...result.queued);
    notSent.push(...result.notSent);
    options.onProgress?.(Math.min(i + chunkSize, good.length), good.length);
  }
  return { total: parsed.length, imported: good.length, rejected: rejected.sort((a, b) => a.row - b.row), deltas, notSent };
}
