import type { MappingLoss } from '../partner-adapter.js';

/**
 * What one encode could not carry. Codes that travel but come back as another value
 * (a CodeList readBackAs row) are reported here too, so a caller sees every difference
 * between what it sent and what the partner will read.
 */
export class LossReport {
  private readonly losses: MappingLoss[] = [];

  fieldNotCarried(path: string, detail: string): void {
    this.losses.push({ path, kind: 'FIELD_NOT_CARRIED', detail });
  }

  /** Encode one code; report it when the partner will read it back as another value. */
  code<C extends string>(
    list: { list: string; toPartner(value: C, path: string): { code: string; readBackAs?: C } },
    value: C,
    path: string,
  ): string {
    const { code, readBackAs } = list.toPartner(value, path);
    if (readBackAs !== undefined) {
      this.losses.push({
        path,
        kind: 'CODE_READ_BACK_DIFFERENTLY',
        detail: `${list.list} ${value} is sent as ${code} and read back as ${readBackAs}`,
      });
    }
    return code;
  }

  toArray(): readonly MappingLoss[] {
    return [...this.losses];
  }
}
