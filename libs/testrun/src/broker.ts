import { runCommand } from './processes.js';

/**
 * The local RabbitMQ, for the broker-restart scenario: `rabbitmqctl stop_app` and
 * `start_app`, then `await_startup` so nothing runs before the broker takes connections
 * again. This stops the broker for every process on the machine, so only scenarios marked
 * disruptive use it, and only against the simulator.
 */
export class LocalBroker {
  private stopped = false;

  constructor(private readonly rabbitmqctl = process.env.RABBITMQCTL ?? 'rabbitmqctl') {}

  /** Whether this broker can be controlled from here: a localhost AMQP URL and a working rabbitmqctl. */
  async controllable(amqpUrl: string): Promise<string | undefined> {
    const host = new URL(amqpUrl).hostname;
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host))
      return `the broker (${host}) is not on this machine`;
    try {
      await runCommand(this.rabbitmqctl, ['-q', 'await_startup'], 30_000);
      return undefined;
    } catch (error) {
      return `rabbitmqctl cannot control the local broker: ${(error as Error).message.split('\n')[0]}`;
    }
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await runCommand(this.rabbitmqctl, ['-q', 'stop_app']);
  }

  async start(): Promise<void> {
    await runCommand(this.rabbitmqctl, ['-q', 'start_app']);
    await runCommand(this.rabbitmqctl, ['-q', 'await_startup']);
    this.stopped = false;
  }
}
