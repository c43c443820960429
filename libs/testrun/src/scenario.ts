import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoPath } from '@aeo/config';
import { GatewayError, type AeoStatus } from '@aeo/domain';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';

/**
 * Test-run scenarios as data (config/testruns/<name>.yaml), validated against
 * schemas/v1/config/testrun-scenario.schema.json. The types below mirror that schema; the
 * runner (runner.ts, steps.ts) interprets them. Negotiators add scenarios by adding files.
 */
export type Target = 'simulator' | 'partner-broker';
export type ReasonCodeSpec = string | { readonly xml: string; readonly json: string };
export type ReceiptModeName = 'normal' | 'none' | 'slow' | 'duplicate';
export type SimulatorDefect =
  'bad-signature' | 'bad-encryption-tag' | 'malformed-body' | 'unknown-code' | 'truncated';

export interface GatewayStep {
  readonly gateway: 'register' | 'change-status' | 'send-snapshot' | 'rotate-keys';
  readonly as?: string;
  readonly of?: string;
  readonly count?: number;
  readonly status?: AeoStatus;
  readonly reason?: string;
  readonly defect?: 'bad-check-digit';
  readonly overlapHours?: number;
  readonly note?: string;
}

export interface PartnerStep {
  readonly partner:
    'send-delta' | 'send-snapshot' | 'send-out-of-order' | 'send-lookup' | 'send-again' | 'receipts';
  readonly as?: string;
  readonly of?: string;
  readonly status?: AeoStatus;
  readonly count?: number;
  readonly defect?: SimulatorDefect;
  readonly chunkSize?: number;
  readonly statuses?: readonly AeoStatus[];
  readonly record?: number;
  readonly aeoId?: string;
  readonly mode?: ReceiptModeName;
  readonly delayMs?: number;
  readonly note?: string;
}

export interface BrokerStep {
  readonly broker: 'stop' | 'start';
  readonly note?: string;
}

export interface WaitStep {
  readonly wait: string;
  readonly note?: string;
}

export interface Expectations {
  readonly receipt?: {
    readonly of: string;
    readonly outcome: 'ACCEPTED' | 'REJECTED';
    readonly reasonCode?: ReasonCodeSpec;
  };
  readonly partnerSees?: { readonly of: string; readonly status?: AeoStatus };
  readonly outbox?: { readonly of: string; readonly state: string; readonly reasonCode?: ReasonCodeSpec };
  readonly gatewayHolds?: { readonly of: string; readonly status?: AeoStatus };
  readonly lookupResponse?: {
    readonly of: string;
    readonly found: boolean;
    readonly state?: 'SENT' | 'ACKNOWLEDGED';
  };
  readonly refused?: { readonly of: string; readonly reasonCode: ReasonCodeSpec };
  readonly audit?: { readonly of: string; readonly type: string };
  readonly jwks?: { readonly of: string };
  readonly partnerRejections?: { readonly max: number };
  readonly partnerDuplicates?: { readonly min: number };
}

export interface ExpectStep {
  readonly expect: Expectations;
  readonly timeout?: string;
  readonly atEnd?: boolean;
  readonly note?: string;
}

export type Step = GatewayStep | PartnerStep | BrokerStep | WaitStep | ExpectStep;

export interface Scenario {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly targets?: readonly Target[];
  readonly disruptive?: boolean;
  readonly steps: readonly Step[];
  /** Where it was loaded from (not part of the file). */
  readonly file: string;
}

/** The folder the shipped scenarios live in. */
export function scenarioDir(): string {
  return repoPath('config', 'testruns');
}

export function scenarioSchemaFile(): string {
  return repoPath('schemas', 'v1', 'config', 'testrun-scenario.schema.json');
}

const SCHEMA_ID = 'urn:mra-gateway:schema:v1:testrun-scenario';
const ACTIONS = ['gateway', 'partner', 'broker', 'wait', 'expect'] as const;
let ajv: Ajv2020 | undefined;

function validator(fragment = ''): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: true });
    ajv.addSchema(JSON.parse(readFileSync(scenarioSchemaFile(), 'utf8')) as object);
  }
  const validate = ajv.getSchema(`${SCHEMA_ID}${fragment}`);
  if (!validate) throw new Error(`no schema ${SCHEMA_ID}${fragment}`);
  return validate;
}

function messageOf(error: ErrorObject, prefix = ''): string {
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`
      : '';
  return `${prefix}${error.instancePath}`.replace(/^$/, '/') + ` ${error.message ?? 'is invalid'}${extra}`;
}

/**
 * Ajv's errors, readable: a step is one of five kinds (oneOf), so a bad step is checked again
 * against the kind its action key names, and only those errors are reported.
 */
function describe(errors: readonly ErrorObject[], data: unknown): string {
  const steps = (data as { steps?: unknown[] } | undefined)?.steps;
  const messages: string[] = [];
  const badSteps = new Set<number>();
  for (const error of errors) {
    if (error.keyword === 'oneOf') continue;
    const stepIndex = /^\/steps\/(\d+)/.exec(error.instancePath)?.[1];
    if (stepIndex === undefined || !Array.isArray(steps)) messages.push(messageOf(error));
    else badSteps.add(Number(stepIndex));
  }
  for (const index of badSteps) {
    const step = steps![index];
    const kind = ACTIONS.find((action) => step !== null && typeof step === 'object' && action in step);
    if (!kind) {
      messages.push(`/steps/${index} has none of ${ACTIONS.join(', ')}`);
      continue;
    }
    const validate = validator(`#/$defs/${kind}Step`);
    if (!validate(step))
      for (const error of validate.errors ?? []) messages.push(messageOf(error, `/steps/${index}`));
  }
  return [...new Set(messages)].slice(0, 6).join('; ') || 'does not match the scenario schema';
}

export function stepKind(step: Step): string {
  if ('gateway' in step) return `gateway: ${step.gateway}`;
  if ('partner' in step) return `partner: ${step.partner}`;
  if ('broker' in step) return `broker: ${step.broker}`;
  if ('wait' in step) return `wait ${step.wait}`;
  return `expect ${Object.keys(step.expect).join(', ')}`;
}

/** Names given with `as` must be unique and defined before any `of` uses them. */
function checkReferences(scenario: Omit<Scenario, 'file'>, source: string): void {
  const defined = new Set<string>();
  scenario.steps.forEach((step, i) => {
    const refs: string[] = [];
    if ('gateway' in step || 'partner' in step) {
      if (step.of) refs.push(step.of);
    }
    if ('expect' in step)
      for (const value of Object.values(step.expect) as { of?: string }[]) if (value.of) refs.push(value.of);
    for (const ref of refs) {
      if (!defined.has(ref))
        throw new GatewayError(
          'SCHEMA_VIOLATION',
          `${source}: step ${i + 1} refers to '${ref}', which no earlier step defines with "as"`,
          `/steps/${i}`,
        );
    }
    if (('gateway' in step || 'partner' in step) && step.as) {
      if (defined.has(step.as))
        throw new GatewayError(
          'SCHEMA_VIOLATION',
          `${source}: step ${i + 1} reuses the name '${step.as}'`,
          `/steps/${i}/as`,
        );
      defined.add(step.as);
    }
  });
}

/** Parse and validate one scenario file's text. Errors are GatewayErrors (SCHEMA_VIOLATION) naming the file. */
export function parseScenario(text: string, file: string): Scenario {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new GatewayError('SCHEMA_VIOLATION', `${file}: not valid YAML: ${(error as Error).message}`);
  }
  const validate = validator();
  if (!validate(data))
    throw new GatewayError('SCHEMA_VIOLATION', `${file}: ${describe(validate.errors ?? [], data)}`);
  const scenario = data as Omit<Scenario, 'file'>;
  const expected = basename(file).replace(/\.ya?ml$/, '');
  if (scenario.name !== expected)
    throw new GatewayError(
      'SCHEMA_VIOLATION',
      `${file}: name '${scenario.name}' must equal the file name '${expected}'`,
      '/name',
    );
  checkReferences(scenario, file);
  return { ...scenario, file };
}

/** Every scenario in a folder, sorted by name. */
export function loadScenarios(dir: string = scenarioDir()): Scenario[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => parseScenario(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}

/**
 * `--scenarios a,b|all` and `--exclude c,d`: the scenarios to run, in the order given (all:
 * by name). An unknown name is an error rather than a silently shorter run.
 */
export function selectScenarios(
  available: readonly Scenario[],
  selection: string,
  exclude: readonly string[] = [],
): Scenario[] {
  const byName = new Map(available.map((s) => [s.name, s]));
  for (const name of exclude) {
    if (!byName.has(name))
      throw new GatewayError(
        'INVALID_VALUE',
        `--exclude: no scenario '${name}' (known: ${[...byName.keys()].join(', ')})`,
        '/--exclude',
      );
  }
  const wanted =
    selection.trim() === 'all'
      ? [...available]
      : selection
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((name) => {
            const found = byName.get(name);
            if (!found)
              throw new GatewayError(
                'INVALID_VALUE',
                `--scenarios: no scenario '${name}' (known: ${[...byName.keys()].join(', ')})`,
                '/--scenarios',
              );
            return found;
          });
  const chosen = wanted.filter((s) => !exclude.includes(s.name));
  if (chosen.length === 0) throw new GatewayError('INVALID_VALUE', 'no scenario selected', '/--scenarios');
  return chosen;
}

/** `500ms`, `30s`, `2m` in milliseconds. */
export function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m)$/.exec(text);
  if (!match) throw new GatewayError('INVALID_VALUE', `'${text}' is not a duration (500ms, 30s, 2m)`);
  const n = Number(match[1]);
  return match[2] === 'ms' ? n : match[2] === 's' ? n * 1000 : n * 60_000;
}
