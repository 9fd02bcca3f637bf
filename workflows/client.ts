/**
 * The API's handle on Temporal: one lazy connection, reused by every request.
 * A failed connect is not cached, so the API recovers when Temporal comes back.
 */
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config/env.js';
import { temporalConnectionOptions } from './connection.js';

export class TemporalGateway {
  private clientPromise?: Promise<Client>;
  private connection?: Connection;

  constructor(private readonly temporal: Config['temporal']) {}

  get taskQueue(): string {
    return this.temporal.taskQueue;
  }

  client(): Promise<Client> {
    if (!this.clientPromise) {
      this.clientPromise = Connection.connect(temporalConnectionOptions(this.temporal)).then(
        (connection) => {
          this.connection = connection;
          return new Client({ connection, namespace: this.temporal.namespace });
        },
        (error) => {
          this.clientPromise = undefined;
          throw error;
        },
      );
    }
    return this.clientPromise;
  }

  /** True when the frontend answers for our namespace. */
  async ping(): Promise<void> {
    const client = await this.client();
    await client.workflowService.describeNamespace({ namespace: this.temporal.namespace });
  }

  async close(): Promise<void> {
    await this.connection?.close();
    this.connection = undefined;
    this.clientPromise = undefined;
  }
}
