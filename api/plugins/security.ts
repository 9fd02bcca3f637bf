/**
 * Security headers and CORS for every answer.
 *
 * Helmet: a Content-Security-Policy that fits the built dashboard (dashboard/dist) and nothing more. The
 * dashboard loads nothing from another origin (no CDN, no map tiles): scripts, styles, fonts and API calls are
 * same-origin ('self'; socket.io's websocket is same-origin too). Leaflet and the certificate download use
 * `data:` and `blob:` images. No 'unsafe-inline' even for styles: React and Leaflet set styles through the CSSOM
 * (element.style), which CSP does not restrict, and the built dashboard has no inline <style> or style attribute —
 * tests/security/csp-browser.test.ts renders every screen in Chromium and fails on any violation. No page may
 * frame ours (clickjacking). Swagger UI at /api/docs sets its own policy with hashes of its inline scripts
 * (@fastify/swagger-ui `staticCSP`).
 *
 * CORS: same-origin by default — no Access-Control-Allow-Origin at all, so a browser on another site cannot read
 * our answers. Partner web apps named in CORS_ORIGINS may call the Co-WIN compatible API (/api/v2), the public
 * reports, certificate verification, slot search, geography and /.well-known — never the staff or beneficiary
 * endpoints of /api/v1, whose tokens only the dashboard itself should hold. Tokens travel in the Authorization
 * header, never in cookies, so credentials are never allowed.

 */
import cors from '@fastify/cors';
import helmet from 'helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  mediaSrc: ["'self'", 'blob:'],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  frameSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  manifestSrc: ["'self'"],
  // Not upgrade-insecure-requests: `npm start` serves plain http on 127.0.0.1, where it would break every asset.
  // Deployments terminate TLS in front of us and send HSTS.
  upgradeInsecureRequests: null,
};

/** Paths partner web apps may call from their own origin (when listed in CORS_ORIGINS). */
export const PARTNER_PATHS: readonly RegExp[] = [
  /^\/api\/v2\//,
  /^\/api\/v1\/reports\/v2\//,
  /^\/\.well-known\//,
  /^\/api\/v1\/certificates\/verify$/,
  /^\/api\/v1\/sessions$/,
  /^\/api\/v1\/geo\//,
];

export function isPartnerPath(url: string): boolean {
  const path = url.split('?')[0];
  return PARTNER_PATHS.some((pattern) => pattern.test(path));
}

/** CORS for a request: partner origins get the partner paths, everyone else nothing (two fixed option sets). */
function corsOptions(permitted: boolean) {
  return {
    origin: permitted,
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'accept', 'accept-language'],
    exposedHeaders: ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
    credentials: false,
    maxAge: 600,
  };
}

export default fp(async function security(app: FastifyInstance) {
  // Helmet's middleware built once (its directives parsed once), and applied to every answer. The @fastify/helmet
  // plugin built it afresh for every request, which cost more than the rest of a cached slot search's answer.
  const securityHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // The dashboard's camera (QR scanner) and the certificate download need nothing cross-origin.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', (request, reply, done) => {
    try {
      securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
    } catch (error) {
      done(error as Error);
    }
  });

  const allowed = new Set(app.config.corsOrigins ?? []);
  const anyOrigin = allowed.has('*');
  const partner = corsOptions(true);
  const stranger = corsOptions(false);
  await app.register(cors, {
    hideOptionsRoute: true,
    delegator: (request: FastifyRequest, callback) => {
      const origin = request.headers.origin;
      const permitted = typeof origin === 'string' && (anyOrigin || allowed.has(origin)) && isPartnerPath(request.url);
      callback(null, permitted ? partner : stranger);
    },
  });
  // An answer that names the caller's origin must say it varies by origin, or a shared cache could hand it to
  // another site; routes that set their own Vary (Co-WIN's accept-language) would otherwise drop it.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.getHeader('access-control-allow-origin')) {
      const vary = String(reply.getHeader('vary') ?? '');
      if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) reply.header('vary', vary ? `${vary}, Origin` : 'Origin');
    }
    return payload;
  });
});
