/**
 * Security headers on every answer (helmet) and the CORS policy: same-origin by default, CORS_ORIGINS opens
 * /api/v2 and the public endpoints — and only those — to the listed partner web apps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardDist } from '../../api/plugins/dashboard.js';
import { existsSync } from 'node:fs';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const PARTNER = 'https://partner.example.org';
const STRANGER = 'https://evil.example.net';

let platform: TestPlatform;
let open: TestPlatform;
beforeAll(async () => {
  [platform, open] = await Promise.all([startTestPlatform(), startTestPlatform({ corsOrigins: [PARTNER] })]);
});
afterAll(async () => {
  await Promise.all([platform?.close(), open?.close()]);
});

function directives(header: string | string[] | number | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of String(header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

describe('security headers', () => {
  it('send a Content-Security-Policy that allows nothing from another origin, and the usual hardening headers', async () => {
    for (const url of ['/api/health', '/api/v1/geo/states', '/api/v2/admin/location/states', '/api/v1/nothing-here']) {
      const response = await platform.app.inject({ method: 'GET', url });
      const csp = directives(response.headers['content-security-policy']);
      expect(csp.get('default-src'), url).toEqual(["'self'"]);
      expect(csp.get('script-src'), url).toEqual(["'self'"]);
      // No 'unsafe-inline' anywhere, styles included (tests/security/csp-browser.test.ts proves the dashboard needs none).
      expect(csp.get('style-src'), url).toEqual(["'self'"]);
      expect(String(response.headers['content-security-policy'])).not.toContain('unsafe');
      expect(csp.get('object-src'), url).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors'), url).toEqual(["'none'"]);
      expect(csp.get('img-src'), url).toEqual(["'self'", 'data:', 'blob:']);
      expect(csp.get('connect-src'), url).toEqual(["'self'"]);
      // No directive names another origin: no scheme-qualified host, no wildcard.
      for (const [name, values] of csp) {
        for (const value of values) expect(value, `${name} ${value}`).toMatch(/^('[a-z-]+'|data:|blob:)$/);
      }
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      expect(response.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
      expect(response.headers['cross-origin-opener-policy'], url).toBe('same-origin');
      expect(response.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('fit the built dashboard: its page loads only same-origin scripts and styles, and no inline script', async () => {
    if (!existsSync(dashboardDist)) throw new Error('dashboard/dist is missing: run `npm run build:dashboard`');
    const page = await platform.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    const csp = directives(page.headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    const html = page.body;
    // Every script is an external same-origin file: an inline one would be blocked by script-src 'self'.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/[^/]/);
      expect(body.trim()).toBe('');
    }
    for (const [, href] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(href, href).toMatch(/^(\/(?!\/)|data:)/);
    for (const [, href] of html.matchAll(/<script[^>]*src="([^"]+)"/g)) {
      const asset = await platform.app.inject({ method: 'GET', url: href });
      expect(asset.statusCode, href).toBe(200);
      // The bundle never evaluates strings as code (script-src has no 'unsafe-eval').
      expect(asset.body).not.toMatch(/\beval\(|new Function\(/);
    }
  });

  it('leave the API documentation working under its own policy', async () => {
    let docs = await platform.app.inject({ method: 'GET', url: '/api/docs' });
    if (docs.statusCode === 302)
      docs = await platform.app.inject({
        method: 'GET',
        url: new URL(String(docs.headers.location), 'http://x/api/docs/').pathname,
      });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
    expect(docs.headers['content-security-policy']).toBeDefined();
    expect((await platform.app.inject({ method: 'GET', url: '/api/docs/json' })).statusCode).toBe(200);
  });
});

describe('CORS', () => {
  it('is same-origin by default: no Access-Control-Allow-Origin for anyone, and preflights are refused', async () => {
    for (const url of ['/api/v2/admin/location/states', '/api/v1/geo/states', '/api/v1/beneficiaries']) {
      const response = await platform.app.inject({ method: 'GET', url, headers: { origin: PARTNER } });
      expect(response.headers['access-control-allow-origin'], url).toBeUndefined();
      const preflight = await platform.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: PARTNER, 'access-control-request-method': 'POST' },
      });
      expect(preflight.statusCode, url).toBe(404);
      expect(preflight.headers['access-control-allow-origin'], url).toBeUndefined();
    }
  });

  it('with CORS_ORIGINS, lets a listed partner call /api/v2 and the public endpoints, without credentials', async () => {
    for (const url of [
      '/api/v2/admin/location/states',
      '/api/v1/reports/v2/getPublicReports',
      '/.well-known/jwks.json',
      '/api/v1/geo/states',
    ]) {
      const response = await open.app.inject({ method: 'GET', url, headers: { origin: PARTNER } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['access-control-allow-origin'], url).toBe(PARTNER);
      expect(response.headers['access-control-allow-credentials'], url).toBeUndefined();
      expect(String(response.headers.vary), url).toMatch(/origin/i);
    }
    const preflight = await open.app.inject({
      method: 'OPTIONS',
      url: '/api/v2/appointment/schedule',
      headers: {
        origin: PARTNER,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(PARTNER);
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
  });

  it('never opens staff or beneficiary endpoints, nor anything to an unlisted origin', async () => {
    for (const url of [
      '/api/v1/beneficiaries',
      '/api/v1/staff/login',
      '/api/v1/doses',
      '/api/v1/desk/sync',
      '/api/v1/auth/otp',
    ]) {
      const preflight = await open.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: PARTNER, 'access-control-request-method': 'POST' },
      });
      expect(preflight.statusCode, url).toBe(404);
      expect(preflight.headers['access-control-allow-origin'], url).toBeUndefined();
    }
    const stranger = await open.app.inject({
      method: 'GET',
      url: '/api/v2/admin/location/states',
      headers: { origin: STRANGER },
    });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
    const strangerPreflight = await open.app.inject({
      method: 'OPTIONS',
      url: '/api/v2/appointment/schedule',
      headers: { origin: STRANGER, 'access-control-request-method': 'POST' },
    });
    expect(strangerPreflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
