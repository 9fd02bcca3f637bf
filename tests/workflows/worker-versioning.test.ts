/**
 * Worker versioning: a worker started with TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_BUILD_ID polls as that version of
 * its deployment; once the version is made current (what a release does with `temporal worker deployment
 * set-current-version`), a new journey runs on it, auto-upgrading, and moves on as it should.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { workflowIds } from '../../workflows/shared.js';
import { uniqueMobile } from '../support/fixtures.js';
import { loginBeneficiary, registerPerson, stageOf, waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { kill, spawnWorker } from '../support/processes.js';

const taskQueue = `versioned-${randomUUID().slice(0, 8)}`;
const deploymentName = `teeka-${randomUUID().slice(0, 8)}`;
const buildId = 'release-2026-12-07';
let platform: TestPlatform;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  platform = await startTestPlatform({
    temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace'), taskQueue },
  });
  worker = await spawnWorker(
    {
      databaseUrl: inject('databaseUrl'),
      temporalAddress: inject('temporalAddress'),
      temporalNamespace: inject('temporalNamespace'),
      taskQueue,
    },
    { TEMPORAL_DEPLOYMENT_NAME: deploymentName, TEMPORAL_BUILD_ID: buildId },
  );
});
afterAll(async () => {
  if (worker) await kill(worker, 'SIGTERM');
  await platform?.close();
});

describe('worker versioning', () => {
  it('runs a new journey on the current version of the deployment, auto-upgrading', async () => {
    const client = await platform.temporal.client();
    const namespace = inject('temporalNamespace');
    // The server learns of the version from the worker's polls; a release then makes it current.
    await waitFor(async () => {
      try {
        await client.workflowService.setWorkerDeploymentCurrentVersion({ namespace, deploymentName, buildId });
        return true;
      } catch {
        return false;
      }
    }, 'the version made current');
    const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({
      namespace,
      deploymentName,
    });
    expect(workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId).toBe(buildId);

    const token = await loginBeneficiary(platform.app, uniqueMobile());
    const registered = await registerPerson(platform.app, token);
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId } = registered.json();
    // The journey's first task, done by the versioned worker, stamps the version on it.
    const handle = client.workflow.getHandle(workflowIds.journey(referenceId));
    const versioningOf = async () => (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
    await waitFor(async () => Boolean((await versioningOf())?.deploymentVersion), 'the journey on a version');
    const versioning = await versioningOf();
    expect(versioning?.deploymentVersion?.deploymentName).toBe(deploymentName);
    expect(versioning?.deploymentVersion?.buildId).toBe(buildId);
    expect(versioning?.behavior).toBe(2); // VERSIONING_BEHAVIOR_AUTO_UPGRADE
    // And it moves on there: the journey projects its stage from its own state.
    await waitFor(async () => (await stageOf(platform.db, referenceId)) === 'VERIFIED', 'the journey at VERIFIED');
  });
});
