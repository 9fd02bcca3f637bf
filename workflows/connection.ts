/** Connection options for a Temporal dev server, a self-hosted cluster (mTLS) or Temporal Cloud (API key). */
import { readFileSync } from 'node:fs';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config/env.js';

/** Works for both the client's Connection and the worker's NativeConnection. */
export function temporalConnectionOptions(temporal: Config['temporal']): NativeConnectionOptions {
  const options: NativeConnectionOptions = { address: temporal.address };
  if (temporal.tlsCertPath && temporal.tlsKeyPath) {
    options.tls = {
      serverNameOverride: temporal.tlsServerName,
      serverRootCACertificate: temporal.tlsCaPath ? readFileSync(temporal.tlsCaPath) : undefined,
      clientCertPair: { crt: readFileSync(temporal.tlsCertPath), key: readFileSync(temporal.tlsKeyPath) },
    };
  }
  if (temporal.apiKey) {
    options.apiKey = temporal.apiKey;
    options.tls = options.tls ?? true;
  }
  return options;
}
