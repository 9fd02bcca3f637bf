import type { Config } from '../../config/env.js';
import type { Db } from '../../db/connection.js';
import type { SmsProvider } from '../../messaging/providers/types.js';

/** Issues the certificate of a person's doses so far; idempotent per person and kind. */
export interface CertificateIssuer {
  issue(input: { beneficiaryId: string; kind: 'PROVISIONAL' | 'FINAL'; stepKey: string }): Promise<void>;
}

/** Everything activities may touch; built once by the worker and by tests. */
export interface ActivityDeps {
  db: Db;
  config: Config;
  sms: SmsProvider;
  certificates: CertificateIssuer;
  /** host-pid of this worker process, for proofs of who ran what. */
  workerIdentity: string;
}
