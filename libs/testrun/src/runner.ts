import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { maskUrl, repoPath } from '@aeo/config';
import { GatewayError, type Environment } from '@aeo/domain';
import { DEFAULT_TOPOLOGY, connectAmqp, topologyNames } from '@aeo/messaging';
import { adapterFor, type PartnerAdapter } from '@aeo/partners';
import { openDataSource } from '@aeo/persistence';
import { foreignRegister, loadMraConfigs } from '@aeo/registry';
import { compareSelfAssessments, loadSelfAssessment, srcSelfAssessmentFile } from '@aeo/safe';
import { GATEWAY_ENTITIES, GATEWAY_MIGRATIONS } from '@aeo/schema';
import type { DataSource } from 'typeorm';
import { LocalBroker } from './broker.js';
import { GatewayClient, SimulatorClient, type OutboxMessage, type SimulatorStats } from './clients.js';
import { mappingCoverage } from './coverage.js';
import { latencySamples, latencyTable } from './latency.js';
import { runNodeScript, startNodeProcess, type RunningProcess } from './processes.js';
import type { NonPilotMessage, SafeSection, ScenarioResult, StepResult, TestRunReport } from './report.js';
import { createRunHome } from './run-home.js';
import { loadScenarios, scenarioDir, selectScenarios, type Scenario } from './scenario.js';
import { ScenarioExecution, type DeferredCheck, type Misbehaviour, type RunContext } from './steps.js';

export interface TestRunOptions {
  readonly partner: string;
  /** `sim` (default): our simulator, started and stopped here; or a partner broker's amqp(s):// URL. */
  readonly target?: string;
  /** `all` (default) or a comma-separated list of scenario names. */
  readonly scenarios?: string;
  readonly exclude?: readonly string[];
  readonly scenarioDir?: string;
  /** The partner's SAFE self-assessment (default: the fictional sample, labelled as such). */
  readonly safeTheirs?: string;
  /** The receipt SLA of the run's MRA configuration (default: 1 against the simulator, as configured against a partner). */
  readonly receiptSlaMinutes?: number;
  /** Where the run's database, keys and logs go (default: a new temporary folder). */
  readonly runDir?: string;
  /** Keep the run folder even when every scenario passed. */
  readonly keepRunDir?: boolean;
  readonly amqpPrefix?: string;
  /** The local broker the simulator target uses (default AMQP_URL or amqp://guest:guest@127.0.0.1:5672). */
  readonly amqpUrl?: string;
  /** Kit self-check: make the simulator misbehave in the named scenarios. */
  readonly misbehave?: readonly Misbehaviour[];
  readonly onProgress?: (done: number, total: number, label: string) => void;
  /** How long an expectation without a timeout of its own may take (default 30 s). */
  readonly expectTimeoutMs?: number;
  /** Environment for our keys against a real partner (MRA_KEYS_DIR, MRA_KEY_PASSPHRASE). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface TestRunOutcome {
  readonly report: TestRunReport;
  /** The run folder, or null when it was removed after a clean run. */
  readonly runDir: string | null;
}

const GATEWAY_SCRIPT = join('dist', 'apps', 'gateway', 'src', 'main.js');
const SIMULATOR_SCRIPT = join('dist', 'apps', 'partner-sim', 'src', 'main.js');
const CLI_SCRIPT = join('dist', 'apps', 'cli', 'src', 'main.js');

const SIGNING_KEY_TYPE = { EdDSA: 'sig-eddsa', ES256: 'sig-es256', PS256: 'sig-ps256' } as const;

function defaultSafeTheirs(partner: string): string {
  const own = repoPath('config', 'safe', `${partner}.json`);
  return existsSync(own) ? own : repoPath('config', 'safe', 'sample-partner-fictional.json');
}

function safeSection(theirsFile: string): SafeSection {
  const oursFile = srcSelfAssessmentFile();
  try {
    return {
      oursFile,
      theirsFile,
      comparison: compareSelfAssessments(loadSelfAssessment(oursFile), loadSelfAssessment(theirsFile)),
      error: null,
    };
  } catch (error) {
    return { oursFile, theirsFile, comparison: null, error: (error as Error).message };
  }
}

async function deleteTopology(amqpUrl: string, prefix: string, partner: string): Promise<void> {
  const connection = connectAmqp(amqpUrl, 'mra-testrun-cleanup');
  try {
    const channel = connection.createChannel();
    await channel.waitForConnect();
    const names = topologyNames(prefix);
    const queues = [names.deadLetterQueue, names.outboundQueue(partner), names.inboundQueue(partner)];
    const exchanges = [names.outboundExchange, names.inboundExchange, names.deadLetterExchange];
    DEFAULT_TOPOLOGY.retryTiersMs.forEach((_, tier) =>
      DEFAULT_TOPOLOGY.jitterFactors.forEach((__, variant) => {
        queues.push(names.retryExchange(tier, variant));
        exchanges.push(names.retryExchange(tier, variant));
      }),
    );
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
}

/**
 * Why each of our messages in the run was not tagged pilot. The simulator sends everything
 * tagged pilot, so this list stays empty unless the gateway mislabels an answer.
 */
function nonPilotOutbound(outbox: readonly OutboxMessage[]): NonPilotMessage[] {
  return outbox
    .filter((m) => m.environment !== 'pilot')
    .map((m) => ({
      messageId: m.messageId,
      messageType: m.messageType,
      environment: m.environment,
      why:
        m.messageType === 'RECEIPT'
            ? 'a negative receipt for a message the gateway could not read: the gateway tags those production, whatever the rejected message said (libs/exchange/src/inbound-processor.ts, receipt())'
            : 'not tagged pilot by the gateway',
    }));
}

/**
 * One test run against one partner: a gateway of its own (fresh SQLite database, its own
 * AMQP prefix, an MRA configuration naming only this partner), the simulator when the target
 * is `sim`, the selected scenarios in order, then the report. Everything started here is
 * stopped here, and a simulator run's broker topology is deleted.
 */
export async function runTestRun(options: TestRunOptions): Promise<TestRunOutcome> {
  const started = new Date();
  const env = options.env ?? process.env;
  const partner = options.partner;
  let adapter: PartnerAdapter;
  try {
    adapter = adapterFor(partner);
  } catch (error) {
    throw new GatewayError('INVALID_VALUE', (error as Error).message, '/--partner');
  }
  if (!existsSync(repoPath('config', 'mra', `${partner}.yaml`))) {
    throw new GatewayError(
      'INVALID_VALUE',
      `no MRA configuration for partner '${partner}' (config/mra/${partner}.yaml)`,
      '/--partner',
    );
  }
  const target = options.target ?? 'sim';
  const simulatorTarget = target === 'sim';
  if (!simulatorTarget && !/^amqps?:\/\//.test(target))
    throw new GatewayError(
      'INVALID_VALUE',
      `--target must be sim or an amqp:// or amqps:// URL, not '${target}'`,
      '/--target',
    );
  const scenarios = selectScenarios(
    loadScenarios(options.scenarioDir ?? scenarioDir()),
    options.scenarios ?? 'all',
    options.exclude ?? [],
  );
  // Scenarios that check something at the end start first, so their wait overlaps the others.
  const ordered = [
    ...scenarios.filter((s) => s.steps.some((st) => 'expect' in st && st.atEnd)),
    ...scenarios.filter((s) => !s.steps.some((st) => 'expect' in st && st.atEnd)),
  ];
  for (const m of options.misbehave ?? []) {
    if (!scenarios.some((s) => s.name === m.scenario))
      throw new GatewayError(
        'INVALID_VALUE',
        `--misbehave: scenario '${m.scenario}' is not selected`,
        '/--misbehave',
      );
  }
  if (!simulatorTarget && options.misbehave?.length)
    throw new GatewayError('INVALID_VALUE', '--misbehave needs the simulator target', '/--misbehave');

  const runDir = options.runDir
    ? resolve(options.runDir)
    : mkdtempSync(join(tmpdir(), `mra-testrun-${partner}-`));
  mkdirSync(runDir, { recursive: true });
  const home = createRunHome(runDir, partner, options.receiptSlaMinutes ?? (simulatorTarget ? 1 : undefined));
  const amqpUrl = simulatorTarget
    ? (options.amqpUrl ?? env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672')
    : target;
  const prefix =
    options.amqpPrefix ??
    (simulatorTarget ? `pilot.${partner}.${randomBytes(4).toString('hex')}` : 'mra-pilot');
  const databaseUrl = `sqlite:${join(runDir, 'gateway.db')}`;
  const operatorToken = `testrun-op-${randomBytes(16).toString('hex')}`;
  const auditorToken = `testrun-au-${randomBytes(16).toString('hex')}`;

  // A lookup scenario is not applicable where the MRA leaves lookups out: the gateway refuses
  // them (UNSUPPORTED_MESSAGE_TYPE), which is right, but not what the scenario rehearses.
  const lookupsProblem = loadMraConfigs().get(partner)?.lookups.supported
    ? undefined
    : `lookups are not part of the MRA with ${partner} (config/mra/${partner}.yaml lookups.supported: false)`;
  let keyEnv: Record<string, string>;
  let keyRotationProblem: string | undefined;
  if (simulatorTarget) {
    keyEnv = {
      MRA_KEYS_DIR: join(runDir, 'keys'),
      MRA_KEY_PASSPHRASE: randomBytes(18).toString('base64url'),
    };
  } else {
    if (!env.MRA_KEY_PASSPHRASE)
      throw new GatewayError(
        'INVALID_VALUE',
        'against a partner broker the run signs with our real keys: set MRA_KEYS_DIR and MRA_KEY_PASSPHRASE',
        '/MRA_KEY_PASSPHRASE',
      );
    const dir = env.MRA_KEYS_DIR || './keys';
    keyEnv = {
      MRA_KEYS_DIR: isAbsolute(dir) ? dir : resolve(dir),
      MRA_KEY_PASSPHRASE: env.MRA_KEY_PASSPHRASE,
    };
    keyRotationProblem =
      'would rotate our real keys, which the partner has registered; rehearse key rotation against the simulator';
  }

  const gatewayEnv: Record<string, string> = {
    ...keyEnv,
    MRA_HOME: home.dir,
    DATABASE_URL: databaseUrl,
    AMQP_URL: amqpUrl,
    MRA_AMQP_PREFIX: prefix,
    MRA_API_KEYS: `testrun-operator:operator:${operatorToken},testrun-auditor:auditor:${auditorToken}`,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ...(simulatorTarget ? { NODE_ENV: 'test-run' } : {}),
  };

  const processes: RunningProcess[] = [];
  let dataSource: DataSource | undefined;
  const results: ScenarioResult[] = [];
  const notes: string[] = [];
  let outbox: OutboxMessage[] = [];
  let stats: SimulatorStats | undefined;
  const total = ordered.length + 1;
  try {
    const gatewayProcess = await startNodeProcess(
      GATEWAY_SCRIPT,
      [],
      gatewayEnv,
      join(runDir, 'gateway.log'),
      (line) => (line.message === 'gateway started' ? String(line.url) : undefined),
    );
    processes.push(gatewayProcess);
    const gateway = new GatewayClient(gatewayProcess.url, operatorToken, auditorToken);
    let simulator: SimulatorClient | undefined;
    if (simulatorTarget) {
      const sim = await startNodeProcess(
        SIMULATOR_SCRIPT,
        [
          '--partner',
          partner,
          '--amqp',
          amqpUrl,
          '--prefix',
          prefix,
          '--gateway-jwks',
          `${gatewayProcess.url}/.well-known/jwks.json`,
          '--port',
          '0',
        ],
        {},
        join(runDir, 'simulator.log'),
        (line) => (line.event === 'ready' ? String(line.control) : undefined),
      );
      processes.push(sim);
      simulator = new SimulatorClient(sim.url);
    }
    const broker = new LocalBroker();
    const needsBroker = simulatorTarget && ordered.some((s) => s.steps.some((st) => 'broker' in st));
    const brokerProblem = needsBroker ? await broker.controllable(amqpUrl) : undefined;
    let serial = 100;
    const misbehave = options.misbehave ?? [];
    const ctx: RunContext = {
      partner,
      adapter,
      targetKind: simulatorTarget ? 'simulator' : 'partner-broker',
      gateway,
      simulator,
      broker,
      brokerProblem,
      keyRotationProblem,
      lookupsProblem,
      async rotateKeys(overlapHours) {
        const types = [
          SIGNING_KEY_TYPE[adapter.profile.security.outboundSignatureAlgorithm],
          ...(adapter.profile.security.encryption.required ? (['enc-p256', 'enc-x25519'] as const) : []),
        ];
        const outputs = await Promise.all(
          types.map((type) =>
            runNodeScript(
              CLI_SCRIPT,
              ['keys', 'rotate', '--type', type, '--overlap-hours', String(overlapHours)],
              keyEnv,
            ),
          ),
        );
        return outputs.map((out) => (JSON.parse(out) as { next: { kid: string } }).next.kid);
      },
      async foreignRecord(environment: Environment, programme: string, aeoIdNormalized: string) {
        dataSource ??= await openDataSource({
          url: databaseUrl,
          entities: GATEWAY_ENTITIES,
          migrations: GATEWAY_MIGRATIONS,
        });
        const stored = await foreignRegister.find(
          dataSource.manager,
          environment,
          programme,
          aeoIdNormalized,
        );
        return stored
          ? { status: stored.record.status, recordVersion: stored.record.recordVersion }
          : undefined;
      },
      nextSerial: () => serial++,
      misbehaviourFor: (name) => misbehave.filter((m) => m.scenario === name).map((m) => m.kind),
      expectTimeoutMs: options.expectTimeoutMs ?? 30_000,
    };

    const executions: { execution: ScenarioExecution; result: ScenarioResult; deferred: DeferredCheck[] }[] =
      [];
    for (const [i, scenario] of ordered.entries()) {
      options.onProgress?.(i, total, scenario.name);
      const execution = new ScenarioExecution(ctx, scenario);
      const { result, deferred } = await execution.run();
      executions.push({ execution, result, deferred });
    }
    options.onProgress?.(ordered.length, total, 'end-of-run checks');
    for (const entry of executions) {
      if (entry.deferred.length === 0) {
        results.push(entry.result);
        continue;
      }
      const late: StepResult[] = [];
      for (const check of entry.deferred) late.push(await check.evaluate());
      results.push(entry.execution.finish([...entry.result.steps, ...late]));
    }
    outbox = await gateway.outbox(partner);
    stats = simulator ? await simulator.stats() : undefined;
    options.onProgress?.(total, total, 'done');
  } finally {
    for (const child of processes.reverse()) await child.stop();
    await dataSource?.destroy();
    if (simulatorTarget)
      await deleteTopology(amqpUrl, prefix, partner).catch((error: unknown) =>
        notes.push(`could not delete the run's AMQP topology ${prefix}.*: ${(error as Error).message}`),
      );
  }

  // The report lists scenarios in the order they were asked for.
  const byName = new Map(results.map((r) => [r.name, r]));
  const scenarioResults = scenarios.map((s) => byName.get(s.name)!);
  const passed = scenarioResults.filter((r) => r.verdict === 'PASSED').length;
  const failed = scenarioResults.filter((r) => r.verdict === 'FAILED').length;
  notes.push(...runNotes(scenarios, simulatorTarget, home.receiptSlaMinutes, home.configuredSlaMinutes));
  const finished = new Date();
  const report: TestRunReport = {
    $schema: 'urn:mra-gateway:schema:v1:testrun-report',
    reportVersion: 1,
    partner: {
      code: partner,
      displayName: adapter.profile.displayName,
      programme: adapter.profile.programme,
      wireFormat: adapter.profile.wire.format,
      formatStatus: adapter.profile.formatStatus,
    },
    target: {
      kind: simulatorTarget ? 'simulator' : 'partner-broker',
      broker: maskUrl(amqpUrl),
      amqpPrefix: prefix,
    },
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    summary: {
      verdict: failed > 0 ? 'FAILED' : 'PASSED',
      total: scenarioResults.length,
      passed,
      failed,
      notApplicable: scenarioResults.length - passed - failed,
    },
    scenarios: scenarioResults,
    latency: latencyTable(latencySamples(outbox, stats)),
    coverage: mappingCoverage(adapter),
    safe: safeSection(options.safeTheirs ? resolve(options.safeTheirs) : defaultSafeTheirs(partner)),
    pilot: {
      database: databaseUrl,
      environment: 'pilot',
      receiptSlaMinutes: home.receiptSlaMinutes,
      nonPilotMessages: nonPilotOutbound(outbox),
    },
    notes,
  };
  const keep = options.keepRunDir || failed > 0 || options.runDir !== undefined;
  if (!keep) rmSync(runDir, { recursive: true, force: true });
  return { report, runDir: keep ? runDir : null };
}

function runNotes(
  scenarios: readonly Scenario[],
  simulatorTarget: boolean,
  sla: number,
  configuredSla: number,
): string[] {
  const notes = [
    'Every register change of the run is made with environment pilot in a gateway started for the run, with its own SQLite database and AMQP prefix; no production register or queue is touched.',
  ];
  if (sla !== configuredSla)
    notes.push(
      `The receipt SLA is ${sla} minute(s) for this run; the MRA configuration says ${configuredSla}.`,
    );
  if (scenarios.some((s) => s.name === 'full-snapshot-both-ways')) {
    notes.push(
      'Our full register reaches the partner as status deltas: the gateway has no outbound AEO_SNAPSHOT message yet.',
    );
  }
  if (
    simulatorTarget &&
    scenarios.some((s) => s.steps.some((st) => 'gateway' in st && st.gateway === 'rotate-keys'))
  ) {
    notes.push(
      'Key rotation is checked within the overlap: the next keys are published and the current ones keep signing. The simulator reads our JWKS once at start-up and the gateway unlocks its keys once at start-up, so a switch to the next key (after the overlap and a gateway restart) is not exercised by this kit.',
    );
  }
  if (!simulatorTarget)
    notes.push(
      "Against a partner's broker, steps that instruct or inspect the partner's side need the simulator and are NOT_APPLICABLE; our side (outbox states, receipts the partner sends us, audit) is checked.",
    );
  return notes;
}
