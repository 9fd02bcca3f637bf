/**
 * Stopping a process the way a deployment does (SIGTERM, as `docker compose stop` and Kubernetes send it): the API
 * stops taking connections but answers the requests it has; the worker stops polling, drains, closes its relay and
 * pools, and exits on its own. Also: the worker's Temporal SDK metrics endpoint (WORKER_METRICS_PORT).
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { freePort, isPortOpen } from '../../stack/ports.js';
import { uniqueMobile } from '../support/fixtures.js';
import { uniqueIp, waitFor } from '../support/journey.js';
import { kill, spawnWorker } from '../support/processes.js';
import { exitOf, spawnApi } from './api-process.js';

const target = () => ({
  databaseUrl: inject('databaseUrl'),
  temporalAddress: inject('temporalAddress'),
  temporalNamespace: inject('temporalNamespace'),
  taskQueue: `shutdown-${randomUUID().slice(0, 8)}`,
});

/** Sends `head` now; returns a function that sends `rest` and resolves with the whole response once the server closes. */
async function startRequest(port: number, head: string): Promise<(rest: string) => Promise<string>> {
  const socket = net.connect(port, '127.0.0.1');
  let response = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => (response += chunk));
  const closed = new Promise<void>((resolve, reject) => {
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(head);
  return async (rest) => {
    socket.write(rest);
    await closed;
    return response;
  };
}

describe('graceful shutdown', () => {
  it('the API answers a request that is in flight when SIGTERM arrives, takes no new connections, and exits 0', async () => {
    const api = await spawnApi(target(), { SESSION_SWEEP: 'off' });
    onTestFinished(() => kill(api.child, 'SIGKILL'));
    const port = Number(new URL(api.url).port);
    const body = JSON.stringify({ mobile: uniqueMobile() });
    // A slow client: the headers and half the body now, the rest after the signal.
    const finish = await startRequest(
      port,
      `POST /api/v1/auth/otp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Forwarded-For: ${uniqueIp()}\r\nConnection: close\r\n\r\n${body.slice(0, 8)}`,
    );
    // Let the server take the headers: from then on the request is in flight.
    await new Promise((r) => setTimeout(r, 300));
    const exited = exitOf(api.child);
    api.child.kill('SIGTERM');
    await waitFor(async () => !(await isPortOpen(port)), 'the API to stop accepting connections', 10_000);

    const response = await finish(body.slice(8));
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toHaveProperty('txnId');
    expect(await exited).toEqual({ code: 0, signal: null });
  }, 180_000);

  it('the worker serves its SDK metrics, and on SIGTERM stops polling, closes everything and exits by itself', async () => {
    const queue = target();
    const metricsPort = await freePort();
    const worker = await spawnWorker(queue, { SESSION_SWEEP: 'off', WORKER_METRICS_PORT: String(metricsPort) });
    onTestFinished(() => kill(worker, 'SIGKILL'));
    let output = '';
    worker.stdout!.on('data', (chunk) => (output += chunk));

    const metrics = await waitFor(
      async () => {
        const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then(
          (r) => r.text(),
          () => '',
        );
        // Pollers appear once the worker polls its task queue.
        return text.includes(`task_queue="${queue.taskQueue}"`) ? text : undefined;
      },
      'worker metrics for its task queue',
      20_000,
    );
    // What docs/operations.md tells operators to watch: free task slots and pollers, per worker.
    expect(metrics).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(metrics).toMatch(/^temporal_num_pollers\{/m);
    expect(metrics).toContain(`namespace="${queue.temporalNamespace}"`);

    const exited = exitOf(worker);
    worker.kill('SIGTERM');
    // Exiting with no process.exit() anywhere means no timer, pool or connection was left open (the relay included).
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output).toContain('worker stopped');
    expect(await isPortOpen(metricsPort)).toBe(false);
  }, 180_000);
});
