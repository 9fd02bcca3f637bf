import type { Config } from '../../config/env.js';
import type { Db } from '../../db/connection.js';
import type { SmsProvider } from '../../messaging/providers/types.js';
import type { CertificateService } from '../../certificates/service.js';

/** Everything activities may touch; built once by the worker and by tests. */
export interface ActivityDeps {
  db: Db;
  config: Config;
  sms: SmsProvider;
  certificates: CertificateService;
  /** host-pid of this worker process, for proofs of who ran what. */
  workerIdentity: string;
}
