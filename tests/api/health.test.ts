import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freePort } from '../../stack/ports.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

describe('/health and /ready', () => {
  it('report liveness with the version', async () => {
    const response = await platform.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
  });

  it('are ready when Postgres and Temporal answer, also under /api', async () => {
    for (const url of ['/ready', '/api/ready']) {
      const response = await platform.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ready' });
    }
  });

  it('say only "not ready" to the public when Temporal is unreachable; which dependency and why go to /metrics and the log', async () => {
    const lines: string[] = [];
    const temporalPort = await freePort();
    const broken = await startTestPlatform(
      {
        temporal: { address: `127.0.0.1:${temporalPort}`, namespace: inject('temporalNamespace'), taskQueue: 'none' },
        logLevel: 'warn',
      },
      {
        logStream: new Writable({
          write(chunk, _encoding, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      },
    );
    try {
      const response = await broken.app.inject({ method: 'GET', url: '/ready' });
      expect(response.statusCode).toBe(503);
      // No host, port or driver message for whoever asks.
      expect(response.json()).toEqual({ status: 'not ready' });
      expect(response.body).not.toContain(String(temporalPort));

      const metrics = await broken.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toContain('teeka_dependency_up{dependency="postgres"} 1');
      expect(metrics.body).toContain('teeka_dependency_up{dependency="temporal"} 0');
      expect(lines.join('')).toMatch(/temporal is not (ready|reachable)/);
    } finally {
      await broken.close();
    }
  });

  it('answer an unknown route with a 404 message, not a stack trace', async () => {
    const response = await platform.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('/api/v1/nothing-here'),
    });
  });
});
