/**
 * No Docker engine runs on the development machines, so the Dockerfile and docker-compose.yml
 * cannot be built here. This keeps them from drifting from the code: they parse, every path
 * the image copies exists, the commands they run are the ones package.json builds, and every
 * setting they pass is one the gateway documents in .env.example.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@aeo/config';

const root = repoRoot();
const read = (file: string) => readFileSync(join(root, file), 'utf8');

const documentedSettings = new Set(
  read('.env.example')
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name)),
);

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

describe('deployment files', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
  const packageJson = JSON.parse(read('package.json')) as { bin: Record<string, string>; scripts: Record<string, string> };

  it('copies only paths that exist into the image and starts the entry point npm start builds', () => {
    const dockerfile = read('Dockerfile');
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) (\S+)$/gm)].flatMap((match) => match[1].split(/\s+/));
    expect(copied.length).toBeGreaterThan(3);
    for (const path of copied) expect({ path, exists: existsSync(join(root, path)) }).toEqual({ path, exists: true });
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    const entry = (JSON.parse(cmd!) as string[])[1];
    expect(packageJson.scripts.start).toContain(`node ${entry}`);
    // The image runs as an unprivileged user, in production mode.
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/NODE_ENV=production/);
  });

  it('starts PostgreSQL, RabbitMQ and the gateway, the gateway only after its dependencies are healthy and its keys exist', () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(['gateway', 'gateway-keys', 'postgres', 'rabbitmq']);
    expect(services.gateway.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      rabbitmq: { condition: 'service_healthy' },
      'gateway-keys': { condition: 'service_completed_successfully' },
    });
    // The key-making service runs the CLI the package publishes as `mra`.
    expect(services['gateway-keys'].command?.slice(0, 2)).toEqual(['node', packageJson.bin.mra]);
    expect(services['gateway-keys'].command?.slice(2)).toEqual(['keys', 'generate']);
  });

  it('passes the gateway only settings it reads, with secrets from the caller environment, and quorum queues', () => {
    const environment = compose.services.gateway.environment!;
    for (const name of Object.keys(environment)) expect({ name, documented: documentedSettings.has(name) }).toEqual({ name, documented: true });
    expect(environment.MRA_KEY_PASSPHRASE).toMatch(/^\$\{MRA_KEY_PASSPHRASE:\?/);
    expect(environment.MRA_API_KEYS).toMatch(/^\$\{MRA_API_KEYS:\?/);
    expect(environment.NODE_ENV).toBe('production');
    expect(environment.MRA_QUEUE_TYPE).toBe('quorum');
    expect(compose.services['gateway-keys'].environment).toEqual(environment);
  });
});
