import { GatewayError } from '@aeo/domain';

/**
 * Path-aware reading of a parsed JSON document, the JSON twin of XmlElement: every error
 * names the JSON pointer of the value at fault.
 */
export class JsonObject {
  constructor(
    private readonly value: Readonly<Record<string, unknown>>,
    readonly path: string,
  ) {}

  static root(value: unknown): JsonObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new GatewayError('SCHEMA_VIOLATION', 'document must be a JSON object', '/');
    }
    return new JsonObject(value as Record<string, unknown>, '');
  }

  private at(key: string): string {
    return `${this.path}/${key}`;
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  private present(key: string): unknown {
    const v = this.value[key];
    if (v === undefined || v === null || v === '') {
      throw new GatewayError('MISSING_REQUIRED_FIELD', `${key} is required`, this.at(key));
    }
    return v;
  }

  requiredString(key: string): string {
    const v = this.present(key);
    if (typeof v !== 'string') throw new GatewayError('SCHEMA_VIOLATION', `${key} must be a string`, this.at(key));
    return v.trim();
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.requiredString(key) : undefined;
  }

  requiredInteger(key: string): number {
    const v = this.present(key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      throw new GatewayError('SCHEMA_VIOLATION', `${key} must be an integer`, this.at(key));
    }
    return v;
  }

  requiredBoolean(key: string): boolean {
    const v = this.value[key];
    if (v === undefined || v === null) throw new GatewayError('MISSING_REQUIRED_FIELD', `${key} is required`, this.at(key));
    if (typeof v !== 'boolean') throw new GatewayError('SCHEMA_VIOLATION', `${key} must be true or false`, this.at(key));
    return v;
  }

  requiredObject(key: string): JsonObject {
    const v = this.present(key);
    if (typeof v !== 'object' || Array.isArray(v)) throw new GatewayError('SCHEMA_VIOLATION', `${key} must be an object`, this.at(key));
    return new JsonObject(v as Record<string, unknown>, this.at(key));
  }

  optionalObject(key: string): JsonObject | undefined {
    return this.has(key) ? this.requiredObject(key) : undefined;
  }

  /** An array member; `allowEmpty: false` treats [] as missing. */
  requiredArray(key: string, allowEmpty = true): unknown[] {
    const v = this.value[key];
    if (v === undefined || v === null) throw new GatewayError('MISSING_REQUIRED_FIELD', `${key} is required`, this.at(key));
    if (!Array.isArray(v)) throw new GatewayError('SCHEMA_VIOLATION', `${key} must be an array`, this.at(key));
    if (!allowEmpty && v.length === 0) throw new GatewayError('MISSING_REQUIRED_FIELD', `${key} must not be empty`, this.at(key));
    return v;
  }

  objectsOf(key: string, allowEmpty = true): JsonObject[] {
    return this.requiredArray(key, allowEmpty).map((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new GatewayError('SCHEMA_VIOLATION', `${key}[${i}] must be an object`, `${this.at(key)}/${i}`);
      }
      return new JsonObject(item as Record<string, unknown>, `${this.at(key)}/${i}`);
    });
  }

  stringsOf(key: string, allowEmpty = true): string[] {
    return this.requiredArray(key, allowEmpty).map((item, i) => {
      if (typeof item !== 'string') throw new GatewayError('SCHEMA_VIOLATION', `${key}[${i}] must be a string`, `${this.at(key)}/${i}`);
      return item;
    });
  }

  /** Reject members this format does not define. */
  allowOnly(keys: readonly string[]): this {
    const unknown = Object.keys(this.value).find((key) => !keys.includes(key));
    if (unknown !== undefined) throw new GatewayError('UNEXPECTED_FIELD', `unexpected member ${unknown}`, this.at(unknown));
    return this;
  }
}
