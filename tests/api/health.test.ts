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
      expect(response.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } });
    }
  });

  it('are not ready, naming the failing check, when Temporal is unreachable', async () => {
    const broken = await startTestPlatform({
      temporal: { address: `127.0.0.1:${await freePort()}`, namespace: inject('temporalNamespace'), taskQueue: 'none' },
    });
    try {
      const response = await broken.app.inject({ method: 'GET', url: '/ready' });
      expect(response.statusCode).toBe(503);
      const body = response.json();
      expect(body.checks.postgres).toBe('ok');
      expect(body.checks.temporal).toMatch(/^error: /);
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
