import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time used by the broker, the database server and this process (its worker threads
 * included) over a timed phase, from /proc: on a 2-core machine that runs all three, the
 * pipelines are bounded by their sum per message, not by any one of them. Clock ticks are
 * 10 ms, so phases of a few seconds read to about ±1 %.
 */
export interface CpuSplit {
  /** This process: the gateway runtime (and the benchmark's own driver, which is small). */
  readonly gatewayMs: number;
  /** beam.smp: RabbitMQ. */
  readonly rabbitMs: number;
  /** Every postgres process (backends, WAL writer, checkpointer). */
  readonly postgresMs: number;
}

const TICK_MS = 10;

type Server = 'rabbit' | 'postgres';

/** Clock ticks used so far by each RabbitMQ and PostgreSQL process, by pid. */
function serverTicks(): Map<string, { server: Server; ticks: number }> {
  const ticks = new Map<string, { server: Server; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // the process ended while we read
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    // Fields after the name: state is field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const used = Number(fields[11]) + Number(fields[12]);
    if (name === 'beam.smp') ticks.set(entry, { server: 'rabbit', ticks: used });
    else if (name === 'postgres' || name.startsWith('postgres:')) ticks.set(entry, { server: 'postgres', ticks: used });
  }
  return ticks;
}

export class CpuMeter {
  private readonly servers = serverTicks();
  private readonly own = process.cpuUsage();

  /**
   * CPU used since the meter was made: per process, what it used since then (a process started
   * meanwhile counts whole). A database backend that ended in between is not counted at all,
   * so the PostgreSQL figure is a lower bound; the gateway keeps its connections open.
   */
  read(): CpuSplit {
    const used = { rabbit: 0, postgres: 0 };
    for (const [pid, now] of serverTicks()) used[now.server] += now.ticks - (this.servers.get(pid)?.ticks ?? 0);
    const own = process.cpuUsage(this.own);
    return { gatewayMs: (own.user + own.system) / 1000, rabbitMs: used.rabbit * TICK_MS, postgresMs: used.postgres * TICK_MS };
  }
}
