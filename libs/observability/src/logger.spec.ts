import { describe, expect, it } from '@jest/globals';
import { correlationIdFrom, runWithLogContext } from './log-context.js';
import { createLogger, lifecycleLogger, type LogLevel } from './logger.js';

function captured(level: LogLevel) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes JSON lines with a level word, an ISO time and the text under "message"', () => {
    const { logger, lines } = captured('info');
    logger.info({ partner: 'cn' }, 'relay started');
    expect(lines).toEqual([expect.objectContaining({ level: 'info', message: 'relay started', partner: 'cn', service: 'mra-gateway' })]);
    expect(new Date(lines[0].time as string).toISOString()).toBe(lines[0].time);
  });

  it('redacts authorization, tokens, passphrases, key material and payloads, even one object down', () => {
    const { logger, lines } = captured('info');
    logger.info(
      {
        authorization: 'Bearer secret-token-1',
        headers: { authorization: 'Bearer secret-token-2' },
        token: 'secret-token-3',
        request: { passphrase: 'secret-pass', body: '{"aeoId":"x"}' },
        payload: 'eyJhbGciOi',
        key: { privateKey: 'PRIVATE' },
        messageId: 'kept',
      },
      'checked',
    );
    const text = JSON.stringify(lines);
    for (const secret of ['secret-token-1', 'secret-token-2', 'secret-token-3', 'secret-pass', 'aeoId', 'eyJhbGciOi', 'PRIVATE']) expect(text).not.toContain(secret);
    expect(lines[0].messageId).toBe('kept');
  });

  it('logs an error as type, message and stack only, never its other properties', () => {
    const { logger, lines } = captured('info');
    const error = Object.assign(new Error('insert failed'), { parameters: ['eyJ-message-body'], code: '23505' });
    logger.error({ err: error }, 'write failed');
    expect(lines[0].err).toMatchObject({ type: 'Error', message: 'insert failed', code: '23505' });
    expect(JSON.stringify(lines[0])).not.toContain('eyJ-message-body');
  });

  it('adds the correlation id of the context the line is written in', async () => {
    const { logger, lines } = captured('info');
    await runWithLogContext({ correlationId: 'req-1' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.info('inside');
    });
    logger.info('outside');
    expect(lines.map((l) => [l.message, l.correlationId])).toEqual([
      ['inside', 'req-1'],
      ['outside', undefined],
    ]);
  });

  it('honours the level; silent writes nothing, and lifecycle lines pass a warn level but not silent', () => {
    const warn = captured('warn');
    warn.logger.info('hidden');
    lifecycleLogger(warn.logger).info('gateway started');
    expect(warn.lines.map((l) => l.message)).toEqual(['gateway started']);
    const silent = captured('silent');
    silent.logger.error('hidden');
    lifecycleLogger(silent.logger).info('hidden too');
    expect(silent.lines).toEqual([]);
  });
});

describe('correlationIdFrom', () => {
  it.each([
    ['abc-123_X.y', 'abc-123_X.y'],
    ['a'.repeat(64), 'a'.repeat(64)],
  ])('keeps the sane token %s', (header, expected) => expect(correlationIdFrom(header)).toBe(expected));

  it.each([['a'.repeat(65)], ['has space'], ['line\nbreak'], ['quote"'], [''], [undefined]])('replaces %j with a fresh UUID', (header) => {
    expect(correlationIdFrom(header)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('replaces a repeated header (an array) with a fresh UUID', () => expect(correlationIdFrom(['a', 'b'])).not.toMatch(/^[ab]$/));
});
