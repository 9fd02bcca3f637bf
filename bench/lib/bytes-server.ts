/**
 * The honest baseline for a cached public answer: Fastify sending stored bytes from memory, with the same status,
 * headers (all but the ones the HTTP layer writes itself) and body as the API's answer. BYTES_FILE names a JSON
 * list of { path, status, headers, bodyBase64 }.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

interface StoredAnswer {
  path: string;
  status: number;
  headers: Record<string, string>;
  bodyBase64: string;
}

const answers = JSON.parse(readFileSync(process.env.BYTES_FILE!, 'utf8')) as StoredAnswer[];
const app = Fastify({ logger: false });
for (const answer of answers) {
  const body = Buffer.from(answer.bodyBase64, 'base64');
  app.get(answer.path, (_request, reply) => {
    reply.status(answer.status).headers(answer.headers).send(body);
  });
}
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
