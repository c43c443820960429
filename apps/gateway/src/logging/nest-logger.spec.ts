import { describe, expect, it } from '@jest/globals';
import { createLogger, runWithLogContext } from '@aeo/observability';
import { NestPinoLogger } from './nest-logger.js';

function captured(level: 'info' | 'debug' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const nest = new NestPinoLogger(createLogger({ level, destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } }));
  return { nest, lines };
}

describe('NestPinoLogger', () => {
  it("maps Nest's levels to pino's and keeps Nest's context as a field", () => {
    const { nest, lines } = captured('info');
    nest.log('Mapped {/health, GET} route', 'RouterExplorer');
    nest.warn('slow start');
    nest.debug('hidden at info', 'X');
    nest.verbose('hidden at info', 'X');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', message: 'Mapped {/health, GET} route', context: 'RouterExplorer' }),
      expect.objectContaining({ level: 'warn', message: 'slow start' }),
    ]);
    expect(lines[1]).not.toHaveProperty('context');
  });

  it('logs an error with its stack, whether Nest passes an Error or a message and a stack', () => {
    const { nest, lines } = captured();
    nest.error(new Error('boom'), undefined, 'GatewayErrorFilter');
    nest.error('failed', 'Error: failed\n    at somewhere', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ level: 'error', message: 'boom', context: 'GatewayErrorFilter', err: { type: 'Error', message: 'boom' } });
    expect(lines[1]).toMatchObject({ level: 'error', message: 'failed', context: 'ExceptionsHandler', stack: 'Error: failed\n    at somewhere' });
  });

  it("carries the request's correlation id when Nest logs while a request is handled", () => {
    const { nest, lines } = captured();
    runWithLogContext({ correlationId: 'req-42' }, () => nest.error('Health Check has failed!', 'HealthCheckService'));
    expect(lines[0]).toMatchObject({ correlationId: 'req-42', context: 'HealthCheckService' });
  });
});
