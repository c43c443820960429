import { dateOf, type AeoRecord, type Environment } from '@aeo/domain';
import type { PartnerAdapter } from '@aeo/partners';
import type { LocalBroker } from './broker.js';
import type {
  ChangeResult,
  GatewayClient,
  OutboxMessage,
  SimulatorClient,
  SimulatorStats,
} from './clients.js';
import { pilotHomeRecord, statusChange, withBadCheckDigit, type HomeRecordChange } from './home-records.js';
import type { ScenarioResult, StepResult, Verdict } from './report.js';
import {
  durationMs,
  stepKind,
  type BrokerStep,
  type Expectations,
  type ExpectStep,
  type GatewayStep,
  type PartnerStep,
  type ReasonCodeSpec,
  type Scenario,
  type Step,
} from './scenario.js';

/** Ways the simulator can be told to misbehave in one scenario, to check that the kit catches it. */
export const MISBEHAVIOURS = ['receipts-none', 'no-defect'] as const;
export type MisbehaviourKind = (typeof MISBEHAVIOURS)[number];

export interface Misbehaviour {
  readonly scenario: string;
  readonly kind: MisbehaviourKind;
}

/** What a step produced, for later steps that refer to it with `of`. */
export interface StepOutput {
  /** Why the step could not run against this target. */
  readonly notApplicable?: string;
  readonly messageIds: readonly string[];
  /** Our records as the gateway stored them (register, change-status). */
  readonly homeRecords?: readonly AeoRecord[];
  /** The partner's records as sent, newest version per record (partner sends). */
  readonly partnerRecords?: readonly Pick<
    AeoRecord,
    'programme' | 'aeoIdNormalized' | 'recordVersion' | 'status'
  >[];
  readonly environment?: Environment;
  readonly refusal?: { readonly httpStatus: number; readonly code: string | null; readonly message: string };
  /** The partner should have answered these messages unusually (partner: receipts) but could not be told to. */
  readonly answersUnknown?: string;
  /** A key rotation still running in the background (rotate-keys); resolves to the new key ids. */
  readonly rotation?: Promise<string[]>;
}

/** Everything a scenario's steps act on; built once per run by the runner. */
export interface RunContext {
  readonly partner: string;
  readonly adapter: PartnerAdapter;
  readonly targetKind: 'simulator' | 'partner-broker';
  readonly gateway: GatewayClient;
  readonly simulator: SimulatorClient | undefined;
  readonly broker: LocalBroker;
  /** Why the broker cannot be stopped and started from here (undefined: it can). */
  readonly brokerProblem: string | undefined;
  /** Why our keys cannot be rotated in this run (undefined: they can). */
  readonly keyRotationProblem: string | undefined;
  /** Why the partner's lookups are not part of this run (undefined: they are). */
  readonly lookupsProblem: string | undefined;
  rotateKeys(overlapHours: number): Promise<string[]>;
  foreignRecord(
    environment: Environment,
    programme: string,
    aeoIdNormalized: string,
  ): Promise<{ status: string; recordVersion: number } | undefined>;
  nextSerial(): number;
  misbehaviourFor(scenario: string): readonly MisbehaviourKind[];
  /** For expectations without a timeout of their own. */
  readonly expectTimeoutMs: number;
}

export interface DeferredCheck {
  readonly index: number;
  evaluate(): Promise<StepResult>;
}

const NEEDS_SIMULATOR =
  "needs the partner simulator's control API; a real partner's side cannot be instructed or inspected from here";
const POLL_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class NotApplicable extends Error {}

function reasonFor(spec: ReasonCodeSpec, adapter: PartnerAdapter): string {
  return typeof spec === 'string' ? spec : spec[adapter.profile.wire.format];
}

function errorCodeOf(body: unknown): { code: string | null; message: string } {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return { code: error?.code ?? null, message: error?.message ?? JSON.stringify(body).slice(0, 300) };
}

/** One scenario, step by step; atEnd expectations are handed back to be checked after the other scenarios. */
export class ScenarioExecution {
  private readonly outputs = new Map<string, StepOutput>();
  private readonly results: StepResult[] = [];
  private readonly deferred: DeferredCheck[] = [];
  private readonly started = Date.now();
  private baseline: SimulatorStats | undefined;
  private readonly misbehaviour: readonly MisbehaviourKind[];
  private readonly background: { label: string; done: Promise<unknown> }[] = [];
  /** Set when the partner should answer unusually (partner: receipts) but could not be told to. */
  private partnerAnswersUnknown: string | undefined;

  constructor(
    private readonly ctx: RunContext,
    private readonly scenario: Scenario,
  ) {
    this.misbehaviour = ctx.misbehaviourFor(scenario.name);
  }

  async run(): Promise<{ result: ScenarioResult; deferred: DeferredCheck[] }> {
    const targets = this.scenario.targets ?? ['simulator', 'partner-broker'];
    if (!targets.includes(this.ctx.targetKind)) {
      const why = `runs against ${targets.join(' or ')} only; this run's target is ${this.ctx.targetKind === 'simulator' ? 'the simulator' : "a partner's broker"}`;
      return { result: this.finish([], why), deferred: [] };
    }
    if (this.ctx.simulator) {
      await this.ctx.simulator.receipts(this.misbehaviour.includes('receipts-none') ? 'none' : 'normal');
      this.baseline = await this.ctx.simulator.stats();
    }
    let failed = false;
    try {
      for (const [index, step] of this.scenario.steps.entries()) {
        if (failed) {
          this.results.push(
            this.stepResult(index, step, Date.now(), 'NOT_APPLICABLE', 'not run: an earlier step failed'),
          );
          continue;
        }
        const result = await this.runStep(index, step);
        if (result) {
          this.results.push(result);
          if (result.verdict === 'FAILED') failed = true;
        }
      }
      for (const task of this.background) {
        const startedAt = Date.now();
        try {
          await task.done;
        } catch (error) {
          this.results.push(
            this.stepResult(
              this.scenario.steps.length,
              task.label,
              startedAt,
              'FAILED',
              `${task.label} (in the background) failed: ${(error as Error).message}`,
            ),
          );
        }
      }
    } finally {
      if (this.ctx.broker.isStopped) await this.ctx.broker.start();
      if (this.ctx.simulator) await this.ctx.simulator.receipts('normal').catch(() => undefined);
    }
    return { result: this.finish(this.results), deferred: this.deferred };
  }

  /** The scenario result from its step results (also recomputed after deferred checks). */
  finish(steps: readonly StepResult[], notApplicable?: string): ScenarioResult {
    const ordered = [...steps].sort((a, b) => a.index - b.index);
    const failedStep = ordered.find((s) => s.verdict === 'FAILED');
    const checked = ordered.some((s) => s.verdict === 'PASSED' && s.step.startsWith('expect'));
    const firstNa = ordered.find((s) => s.verdict === 'NOT_APPLICABLE');
    const verdict: Verdict = failedStep ? 'FAILED' : notApplicable || !checked ? 'NOT_APPLICABLE' : 'PASSED';
    const reason = failedStep
      ? `step ${failedStep.index + 1} (${failedStep.step}): ${failedStep.detail}`
      : verdict === 'NOT_APPLICABLE'
        ? (notApplicable ??
          (firstNa
            ? `step ${firstNa.index + 1} (${firstNa.step}): ${firstNa.detail}`
            : 'no expectation could be checked'))
        : null;
    return {
      name: this.scenario.name,
      title: this.scenario.title,
      description: this.scenario.description.trim(),
      file: this.scenario.file,
      verdict,
      reason,
      durationMs: Date.now() - this.started,
      steps: ordered,
      misbehaviour: this.misbehaviour.map((kind) => `the simulator was told to misbehave: ${kind}`),
    };
  }

  private stepResult(
    index: number,
    step: Step | string,
    startedAt: number,
    verdict: Verdict,
    detail: string,
    messageIds: readonly string[] = [],
    reasonCodes: readonly string[] = [],
  ): StepResult {
    return {
      index,
      step: typeof step === 'string' ? step : stepKind(step),
      verdict,
      startedAtMs: Math.max(0, startedAt - this.started),
      elapsedMs: Date.now() - startedAt,
      messageIds: [...new Set(messageIds)],
      reasonCodes: [...new Set(reasonCodes)],
      detail,
    };
  }

  private async runStep(index: number, step: Step): Promise<StepResult | undefined> {
    const startedAt = Date.now();
    if ('expect' in step) {
      if (step.atEnd) {
        const evaluate = () => this.expect(index, step, Date.now());
        this.deferred.push({ index, evaluate });
        return undefined;
      }
      return this.expect(index, step, startedAt);
    }
    if ('wait' in step) {
      await sleep(durationMs(step.wait));
      return this.stepResult(index, step, startedAt, 'PASSED', `waited ${step.wait}`);
    }
    try {
      const output =
        'gateway' in step
          ? await this.gatewayStep(step)
          : 'partner' in step
            ? await this.partnerStep(step)
            : await this.brokerStep(step);
      if ('as' in step && step.as)
        this.outputs.set(
          step.as,
          this.partnerAnswersUnknown && output.messageIds.length
            ? { ...output, answersUnknown: this.partnerAnswersUnknown }
            : output,
        );
      if (output.notApplicable)
        return this.stepResult(index, step, startedAt, 'NOT_APPLICABLE', output.notApplicable);
      return this.stepResult(
        index,
        step,
        startedAt,
        'PASSED',
        describeOutput(output),
        output.messageIds,
        output.refusal?.code ? [output.refusal.code] : [],
      );
    } catch (error) {
      if ('as' in step && step.as)
        this.outputs.set(step.as, { messageIds: [], notApplicable: `step ${index + 1} failed` });
      return this.stepResult(index, step, startedAt, 'FAILED', (error as Error).message);
    }
  }

  private ref(name: string | undefined): StepOutput {
    const output = name ? this.outputs.get(name) : undefined;
    if (!output) throw new Error(`no output named '${name}'`);
    if (output.notApplicable)
      throw new NotApplicable(`'${name}' was not applicable: ${output.notApplicable}`);
    return output;
  }

  private queuedFor(result: ChangeResult): string[] {
    const ids = result.queued.filter((q) => q.partner === this.ctx.partner).map((q) => q.messageId);
    if (ids.length === 0) {
      const why = result.notSent
        .filter((n) => n.partner === this.ctx.partner)
        .map((n) => `${n.reasonCode}: ${n.detail}`);
      throw new Error(
        `the gateway queued nothing for ${this.ctx.partner}${why.length ? ` (${why.join('; ')})` : ''}`,
      );
    }
    return ids;
  }

  private async gatewayStep(step: GatewayStep): Promise<StepOutput> {
    const { ctx } = this;
    if (step.gateway === 'rotate-keys') {
      if (ctx.keyRotationProblem) return { messageIds: [], notApplicable: ctx.keyRotationProblem };
      // In the background, so the steps after it run while the rotation is under way.
      const rotation = ctx.rotateKeys(step.overlapHours ?? 24);
      rotation.catch(() => undefined);
      this.background.push({ label: 'rotate-keys', done: rotation });
      return { messageIds: [], rotation };
    }
    if (step.gateway === 'send-snapshot') {
      const response = await ctx.gateway.snapshot(ctx.partner);
      if (response.status !== 201 && response.status !== 200) {
        const error = errorCodeOf(response.body);
        throw new Error(
          `POST /v1/snapshots answered ${response.status}: ${error.code ?? ''} ${error.message}`,
        );
      }
      const result = response.body as ChangeResult;
      return { messageIds: this.queuedFor(result), homeRecords: result.records, environment: 'pilot' };
    }
    let changes: HomeRecordChange[];
    if (step.gateway === 'register') {
      changes = Array.from({ length: step.count ?? 1 }, () => ({
        ...pilotHomeRecord(ctx.nextSerial(), ctx.adapter.profile),
        status: step.status ?? 'ACTIVE',
      }));
      if (step.defect === 'bad-check-digit') {
        const first = changes[0];
        changes[0] = {
          ...first,
          traderIds: first.traderIds.map((id) =>
            id.scheme === 'KZ-BIN' ? { ...id, value: withBadCheckDigit(id.value) } : id,
          ),
        };
      }
    } else {
      const records = this.ref(step.of).homeRecords;
      if (!records?.length) throw new Error(`'${step.of}' holds none of our records`);
      const today = dateOf(new Date().toISOString());
      changes = records.map((record) => statusChange(record, step.status ?? 'ACTIVE', step.reason, today));
    }
    const response = await ctx.gateway.register(changes);
    if (response.status !== 201) {
      const error = errorCodeOf(response.body);
      if (step.defect) return { messageIds: [], refusal: { httpStatus: response.status, ...error } };
      throw new Error(
        `POST /v1/register/records answered ${response.status}: ${error.code ?? ''} ${error.message}`,
      );
    }
    const result = response.body as ChangeResult;
    if (step.defect)
      return {
        messageIds: result.queued.map((q) => q.messageId),
        homeRecords: result.records,
        environment: 'pilot',
      };
    return { messageIds: this.queuedFor(result), homeRecords: result.records, environment: 'pilot' };
  }

  private async partnerStep(step: PartnerStep): Promise<StepOutput> {
    const sim = this.ctx.simulator;
    if (!sim) {
      // Our outbox then shows how the partner really answers, not what the scenario set up.
      if (step.partner === 'receipts')
        this.partnerAnswersUnknown =
          step.mode && step.mode !== 'normal'
            ? `the partner could not be told to answer with receipts '${step.mode}'`
            : undefined;
      return { messageIds: [], notApplicable: NEEDS_SIMULATOR };
    }
    switch (step.partner) {
      case 'send-delta': {
        const defect = this.misbehaviour.includes('no-defect') ? undefined : step.defect;
        const sent = await sim.sendDelta({
          status: step.status ?? 'ACTIVE',
          count: step.count ?? 1,
          ...(defect ? { defect } : {}),
        });
        return { messageIds: [sent.messageId], partnerRecords: sent.records, environment: 'pilot' };
      }
      case 'send-snapshot': {
        const sent = await sim.sendSnapshot(step.chunkSize ?? 500);
        const records = await sim.records();
        return { messageIds: sent.messageIds, partnerRecords: records, environment: 'pilot' };
      }
      case 'send-out-of-order': {
        const before = await sim.records();
        const target = before[step.record ?? 0];
        if (!target) throw new Error(`the simulated register has no record number ${step.record ?? 0}`);
        const sent = await sim.sendOutOfOrder(target.aeoIdNormalized, step.statuses ?? []);
        const after = (await sim.records()).find((r) => r.aeoIdNormalized === target.aeoIdNormalized)!;
        return { messageIds: sent.messageIds, partnerRecords: [after], environment: 'pilot' };
      }
      case 'send-lookup': {
        if (this.ctx.lookupsProblem) return { messageIds: [], notApplicable: this.ctx.lookupsProblem };
        const aeoId = step.aeoId ?? this.ref(step.of).homeRecords?.[0]?.aeoIdNormalized;
        if (!aeoId) throw new Error('send-lookup needs aeoId or of (a step that registered our records)');
        const sent = await sim.sendLookup(aeoId);
        return { messageIds: [sent.messageId], environment: 'pilot' };
      }
      case 'send-again': {
        const original = this.ref(step.of);
        for (const id of original.messageIds) await sim.sendAgain(id);
        return { ...original, messageIds: [...original.messageIds] };
      }
      case 'receipts': {
        const mode = this.misbehaviour.includes('receipts-none') ? 'none' : (step.mode ?? 'normal');
        await sim.receipts(mode, step.delayMs);
        return { messageIds: [] };
      }
    }
  }

  private async brokerStep(step: BrokerStep): Promise<StepOutput> {
    if (this.ctx.targetKind !== 'simulator')
      return {
        messageIds: [],
        notApplicable: "the broker is the partner's; it is never restarted from here",
      };
    if (this.ctx.brokerProblem) throw new Error(this.ctx.brokerProblem);
    if (step.broker === 'stop') await this.ctx.broker.stop();
    else await this.ctx.broker.start();
    return { messageIds: [] };
  }

  private async expect(index: number, step: ExpectStep, startedAt: number): Promise<StepResult> {
    const timeoutMs = step.timeout ? durationMs(step.timeout) : this.ctx.expectTimeoutMs;
    const deadline = startedAt + timeoutMs;
    const keys = Object.keys(step.expect) as (keyof Expectations)[];
    for (;;) {
      const probe = new Probe(this.ctx);
      const outcomes = await Promise.all(keys.map((key) => this.check(key, step.expect, probe)));
      const applicable = outcomes.filter((o) => !('notApplicable' in o)) as CheckResult[];
      const notApplicable = outcomes.filter((o) => 'notApplicable' in o) as {
        key: string;
        notApplicable: string;
      }[];
      const naText = notApplicable.map((o) => `${o.key} not applicable: ${o.notApplicable}`);
      const ids = applicable.flatMap((o) => o.messageIds);
      const codes = applicable.flatMap((o) => o.reasonCodes);
      if (applicable.length === 0)
        return this.stepResult(index, step, startedAt, 'NOT_APPLICABLE', naText.join('; '));
      if (applicable.every((o) => o.ok)) {
        return this.stepResult(
          index,
          step,
          startedAt,
          'PASSED',
          [...applicable.map((o) => `${o.key}: ${o.detail}`), ...naText].join('; '),
          ids,
          codes,
        );
      }
      const settled = applicable.some((o) => !o.ok && o.final);
      if (settled || Date.now() >= deadline) {
        const failing = applicable.filter((o) => !o.ok).map((o) => `${o.key}: ${o.detail}`);
        const when = settled
          ? 'cannot become true any more'
          : `not within ${step.timeout ?? `${timeoutMs / 1000}s`}`;
        return this.stepResult(
          index,
          step,
          startedAt,
          'FAILED',
          `${when}: ${failing.join('; ')}`,
          ids,
          codes,
        );
      }
      await sleep(POLL_MS);
    }
  }

  private async check(
    key: keyof Expectations,
    all: Expectations,
    probe: Probe,
  ): Promise<CheckResult | { key: string; notApplicable: string }> {
    try {
      return { key, ...(await this.checkOne(key, all, probe)) };
    } catch (error) {
      if (error instanceof NotApplicable) return { key, notApplicable: error.message };
      return {
        key,
        ok: false,
        detail: `could not check: ${(error as Error).message}`,
        messageIds: [],
        reasonCodes: [],
      };
    }
  }

  private simulatorStats(probe: Probe): Promise<SimulatorStats> {
    if (!this.ctx.simulator) throw new NotApplicable(NEEDS_SIMULATOR);
    return probe.stats();
  }

  private async checkOne(
    key: keyof Expectations,
    all: Expectations,
    probe: Probe,
  ): Promise<Omit<CheckResult, 'key'>> {
    const { adapter } = this.ctx;
    switch (key) {
      case 'receipt': {
        const spec = all.receipt!;
        const output = this.ref(spec.of);
        const stats = await this.simulatorStats(probe);
        const wanted = spec.reasonCode ? reasonFor(spec.reasonCode, adapter) : undefined;
        const seen = output.messageIds.map((id) => ({ id, receipt: stats.sent[id]?.receipt }));
        const ok = seen.every(
          (s) =>
            s.receipt?.outcome === spec.outcome && (wanted === undefined || s.receipt.reasonCode === wanted),
        );
        const final = seen.some(
          (s) =>
            s.receipt !== undefined &&
            !(
              s.receipt.outcome === spec.outcome &&
              (wanted === undefined || s.receipt.reasonCode === wanted)
            ),
        );
        const codes = seen.flatMap((s) => (s.receipt?.reasonCode ? [s.receipt.reasonCode] : []));
        const described = seen.map((s) =>
          s.receipt
            ? `${s.receipt.outcome}${s.receipt.reasonCode ? ` ${s.receipt.reasonCode}` : ''}`
            : 'no receipt yet',
        );
        return {
          ok,
          final,
          detail: `${spec.outcome}${wanted ? ` ${wanted}` : ''} expected for ${seen.length} message(s); seen: ${summarise(described)}`,
          messageIds: output.messageIds,
          reasonCodes: codes,
        };
      }
      case 'partnerSees': {
        const spec = all.partnerSees!;
        const output = this.ref(spec.of);
        const records = output.homeRecords ?? [];
        if (records.length === 0) throw new Error(`'${spec.of}' holds none of our records`);
        const stats = await this.simulatorStats(probe);
        const seen = records.map((r) => ({ r, at: stats.latestStatus[r.aeoIdNormalized] }));
        // With a status: the partner holds it at (at least) our version. Without: exactly what we sent, or newer.
        const holds = ({ r, at }: (typeof seen)[number]) =>
          at !== undefined &&
          (spec.status
            ? at.status === spec.status && at.recordVersion >= r.recordVersion
            : at.recordVersion > r.recordVersion ||
              (at.recordVersion === r.recordVersion && at.status === r.status));
        const ok = seen.every(holds);
        const described = seen.map(({ r, at }) =>
          at ? `${r.aeoIdNormalized} ${at.status} v${at.recordVersion}` : `${r.aeoIdNormalized} not received`,
        );
        return {
          ok,
          detail: `${records.length} record(s) ${spec.status ?? 'as sent'} expected at the partner; seen: ${summarise(described)}`,
          messageIds: output.messageIds,
          reasonCodes: [],
        };
      }
      case 'outbox': {
        const spec = all.outbox!;
        const output = this.ref(spec.of);
        if (output.answersUnknown) throw new NotApplicable(output.answersUnknown);
        const outbox = await probe.outbox();
        const wanted = spec.reasonCode ? reasonFor(spec.reasonCode, adapter) : undefined;
        const seen = output.messageIds.map((id) => outbox.find((m) => m.messageId === id));
        const ok = seen.every(
          (m) => m?.state === spec.state && (wanted === undefined || m.reasonCode === wanted),
        );
        const final = seen.some((m) => m?.state === 'ACKNOWLEDGED' && spec.state !== 'ACKNOWLEDGED');
        const described = seen.map((m, i) =>
          m
            ? `${m.state}${m.reasonCode ? ` ${m.reasonCode}` : ''}`
            : `${output.messageIds[i]} not in the outbox`,
        );
        return {
          ok,
          final,
          detail: `${spec.state}${wanted ? ` ${wanted}` : ''} expected for ${output.messageIds.length} message(s); seen: ${summarise(described)}${timing(seen)}`,
          messageIds: output.messageIds,
          reasonCodes: seen.flatMap((m) => (m?.reasonCode ? [m.reasonCode] : [])),
        };
      }
      case 'gatewayHolds': {
        const spec = all.gatewayHolds!;
        const output = this.ref(spec.of);
        const records = output.partnerRecords ?? [];
        if (records.length === 0) throw new Error(`'${spec.of}' holds none of the partner's records`);
        const environment = output.environment ?? 'pilot';
        const seen = await Promise.all(
          records.map(async (r) => ({
            r,
            stored: await this.ctx.foreignRecord(environment, r.programme, r.aeoIdNormalized),
          })),
        );
        const ok = seen.every(
          ({ r, stored }) =>
            stored !== undefined &&
            stored.recordVersion === r.recordVersion &&
            stored.status === (spec.status ?? r.status),
        );
        const wrong = seen.filter(
          ({ r, stored }) =>
            !(
              stored !== undefined &&
              stored.recordVersion === r.recordVersion &&
              stored.status === (spec.status ?? r.status)
            ),
        );
        const described = wrong.map(({ r, stored }) =>
          stored
            ? `${r.aeoIdNormalized}: held ${stored.status} v${stored.recordVersion}, sent ${r.status} v${r.recordVersion}`
            : `${r.aeoIdNormalized}: not held`,
        );
        return {
          ok,
          detail: ok
            ? `all ${records.length} record(s) held at the newest version sent${spec.status ? `, ${spec.status}` : ''} (${environment} register)`
            : `${wrong.length} of ${records.length} record(s) not held as sent${spec.status ? ` with ${spec.status}` : ''}: ${summarise(described)}`,
          messageIds: output.messageIds,
          reasonCodes: [],
        };
      }
      case 'lookupResponse': {
        const spec = all.lookupResponse!;
        const output = this.ref(spec.of);
        if (output.answersUnknown) throw new NotApplicable(output.answersUnknown);
        const outbox = await probe.outbox();
        const state = spec.state ?? 'ACKNOWLEDGED';
        const responses = output.messageIds.map((id) =>
          outbox.find((m) => m.messageType === 'AEO_LOOKUP_RESPONSE' && m.correlationId === id),
        );
        const ok = responses.every(
          (m) => m !== undefined && m.state === state && (m.aeoIds !== null) === spec.found,
        );
        const described = responses.map((m) =>
          m ? `${m.messageId} ${m.aeoIds !== null ? 'found' : 'not found'} ${m.state}` : 'no response yet',
        );
        return {
          ok,
          detail: `a response (${spec.found ? 'found' : 'not found'}, ${state}) expected; seen: ${summarise(described)}`,
          messageIds: [...output.messageIds, ...responses.flatMap((m) => (m ? [m.messageId] : []))],
          reasonCodes: [],
        };
      }
      case 'refused': {
        const spec = all.refused!;
        const output = this.ref(spec.of);
        const wanted = reasonFor(spec.reasonCode, adapter);
        if (!output.refusal) {
          return {
            ok: false,
            final: true,
            detail: `${wanted} expected, but the gateway accepted the change and queued ${output.messageIds.length} message(s)`,
            messageIds: output.messageIds,
            reasonCodes: [],
          };
        }
        const { httpStatus, code, message } = output.refusal;
        return {
          ok: code === wanted,
          final: true,
          detail: `${wanted} expected; refused with HTTP ${httpStatus} ${code ?? ''}: ${message}`,
          messageIds: [],
          reasonCodes: code ? [code] : [],
        };
      }
      case 'audit': {
        const spec = all.audit!;
        const output = this.ref(spec.of);
        const found = await Promise.all(
          output.messageIds.map(
            async (id) => (await this.ctx.gateway.audit({ messageId: id, type: spec.type })).length,
          ),
        );
        const ok = found.every((n) => n > 0);
        return {
          ok,
          detail: `${spec.type} expected in the audit log for ${found.length} message(s); found for ${found.filter((n) => n > 0).length}`,
          messageIds: output.messageIds,
          reasonCodes: [],
        };
      }
      case 'jwks': {
        const spec = all.jwks!;
        const output = this.ref(spec.of);
        if (!output.rotation) throw new Error(`'${spec.of}' is not a rotate-keys step`);
        let done: string[] | undefined;
        try {
          done = await Promise.race([output.rotation, sleep(0).then(() => undefined)]);
        } catch (error) {
          return {
            ok: false,
            final: true,
            detail: `the rotation failed: ${(error as Error).message}`,
            messageIds: [],
            reasonCodes: [],
          };
        }
        if (done === undefined)
          return { ok: false, detail: 'the rotation is still running', messageIds: [], reasonCodes: [] };
        const kids = await this.ctx.gateway.jwksKids();
        const missing = done.filter((kid) => !kids.includes(kid));
        return {
          ok: missing.length === 0,
          detail:
            missing.length === 0
              ? `${done.length} new key(s) published: ${done.join(', ')}`
              : `not published: ${missing.join(', ')}`,
          messageIds: [],
          reasonCodes: [],
        };
      }
      case 'partnerRejections': {
        const spec = all.partnerRejections!;
        const stats = await this.simulatorStats(probe);
        const now = totalRejected(stats) - totalRejected(this.baseline);
        const codes = Object.entries(stats.rejected).filter(
          ([code, n]) => n > (this.baseline?.rejected[code] ?? 0),
        );
        return {
          ok: now <= spec.max,
          detail: `at most ${spec.max} expected; the partner failed to verify or decode ${now} of our messages in this scenario${codes.length ? ` (${codes.map(([c, n]) => `${c}: ${n - (this.baseline?.rejected[c] ?? 0)}`).join(', ')})` : ''}`,
          messageIds: [],
          reasonCodes: codes.map(([c]) => c),
        };
      }
      case 'partnerDuplicates': {
        const spec = all.partnerDuplicates!;
        const stats = await this.simulatorStats(probe);
        const now = stats.duplicates - (this.baseline?.duplicates ?? 0);
        return {
          ok: now >= spec.min,
          detail: `at least ${spec.min} expected; the partner received ${now} duplicate(s) in this scenario`,
          messageIds: [],
          reasonCodes: [],
        };
      }
    }
  }
}

interface CheckResult {
  readonly key: string;
  readonly ok: boolean;
  /** Not ok, and waiting will not change it (a receipt with another outcome has arrived). */
  readonly final?: boolean;
  readonly detail: string;
  readonly messageIds: readonly string[];
  readonly reasonCodes: readonly string[];
}

/** What one poll reads, each at most once. */
class Probe {
  private statsRead: Promise<SimulatorStats> | undefined;
  private outboxRead: Promise<OutboxMessage[]> | undefined;

  constructor(private readonly ctx: RunContext) {}

  stats(): Promise<SimulatorStats> {
    this.statsRead ??= this.ctx.simulator!.stats();
    return this.statsRead;
  }

  outbox(): Promise<OutboxMessage[]> {
    this.outboxRead ??= this.ctx.gateway.outbox(this.ctx.partner);
    return this.outboxRead;
  }
}

function totalRejected(stats: SimulatorStats | undefined): number {
  return Object.values(stats?.rejected ?? {}).reduce((a, b) => a + b, 0);
}

/** `ACKNOWLEDGED ×19, SENT ×1`: long lists of the same outcome read better counted. */
function summarise(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  const parts = [...counts.entries()].map(([item, n]) => (n > 1 ? `${item} ×${n}` : item));
  return parts.length > 8
    ? `${parts.slice(0, 8).join(', ')}, … (${parts.length - 8} more)`
    : parts.join(', ');
}

function timing(messages: readonly (OutboxMessage | undefined)[]): string {
  const settled = messages.filter((m): m is OutboxMessage => m?.settledAt != null);
  if (settled.length === 0) return '';
  const worst = Math.max(...settled.map((m) => m.settledAt! - m.createdAt));
  return `; queued → receipt ≤ ${worst} ms`;
}

function describeOutput(output: StepOutput): string {
  if (output.refusal) return `refused: HTTP ${output.refusal.httpStatus} ${output.refusal.code ?? ''}`;
  if (output.rotation) return 'rotation started (mra keys rotate, in the background)';
  const parts: string[] = [];
  if (output.messageIds.length)
    parts.push(
      `${output.messageIds.length} message(s) ${output.environment ? `(${output.environment})` : ''}`.trim(),
    );
  if (output.homeRecords?.length)
    parts.push(`our records ${summarise(output.homeRecords.map((r) => `${r.status} v${r.recordVersion}`))}`);
  if (output.partnerRecords?.length)
    parts.push(
      `partner records ${summarise(output.partnerRecords.map((r) => `${r.status} v${r.recordVersion}`))}`,
    );
  return parts.join('; ') || 'done';
}
