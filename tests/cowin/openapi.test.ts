import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

describe('the API documentation', () => {
  it('serves a browsable page at /api/docs whose assets all come from this server', async () => {
    const page = await platform.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('swagger-ui');
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(asset, asset).not.toMatch(/^(https?:)?\/\//);

    for (const asset of assets) {
      const fetched = await platform.app.inject({
        method: 'GET',
        url: new URL(asset, 'http://local/api/docs/').pathname,
      });
      expect(fetched.statusCode, asset).toBe(200);
    }
    const initializer = await platform.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(initializer.statusCode).toBe(200);
    // Swagger UI's validator badge would call validator.swagger.io; it is switched off.
    expect(initializer.body).toMatch(/validatorUrl: null/);
    // No address outside this server in the script's code (a comment links to Stack Overflow; it fetches nothing).
    expect(initializer.body).not.toMatch(/['"`]https?:\/\//);
  });

  it('serves an OpenAPI 3 document listing the /api/v1 and /api/v2 paths, with tags and summaries', async () => {
    const response = await platform.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/sessions',
        '/api/v1/appointments',
        '/api/v1/doses',
        '/api/v2/admin/location/states',
        '/api/v2/admin/location/districts/{state_id}',
        '/api/v2/appointment/sessions/public/findByPin',
        '/api/v2/appointment/sessions/public/calendarByDistrict',
        '/api/v2/appointment/centers/public/findByLatLong',
        '/api/v2/auth/public/confirmOTP',
        '/api/v2/appointment/schedule',
        '/api/v2/registration/certificate/public/download',
        '/api/v2/registration/certificate/download',
        '/api/v2/auth/getRecaptcha',
        '/api/v1/reports/v2/getPublicReports',
      ]),
    );
    expect(paths.every((p) => p.startsWith('/api/v1/') || p.startsWith('/api/v2/'))).toBe(true);
    for (const [path, operations] of Object.entries<Record<string, { tags?: string[]; summary?: string }>>(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.tags?.length, `${method} ${path} has a tag`).toBeGreaterThan(0);
        expect(operation.summary, `${method} ${path} has a summary`).toBeTruthy();
      }
    }
    const schedule = doc.paths['/api/v2/appointment/schedule'].post;
    expect(schedule.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(schedule.responses)).toEqual(expect.arrayContaining(['200', '401', '409']));
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
