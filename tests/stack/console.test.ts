/** What `npm start` prints of its children's output (stack/console.ts): readable lines, no bundler dump, no requests. */
import { describe, expect, it } from 'vitest';
import { consoleLine } from '../../stack/console.js';

function shown(lines: string[], requests = false): string[] {
  const state = { hidden: false };
  return lines.map((line) => consoleLine(line, state, requests)).filter((line): line is string => line !== undefined);
}

describe('npm start console', () => {
  it('keeps the workflow bundler’s module list and other SDK info records out, and shows its warnings', () => {
    expect(
      shown([
        '2026-12-06T23:55:00.123Z [INFO] asset workflow-bundle-1a2b.js 1.61 MiB [emitted] [immutable] (name: main)',
        'runtime modules 937 bytes 5 modules',
        'modules by path ./node_modules/ 1.1 MiB',
        '  ./workflows/workflows/index.ts 212 bytes [built] [code generated]',
        'optional modules 30 bytes [optional]',
        '  __temporal_custom_payload_converter (ignored) 15 bytes [optional] [built] [code generated]',
        "webpack 5.113.0 compiled successfully in 8150 ms { sdkComponent: 'worker', taskQueue: 'vaccine-journey' }",
        '}',
        '2026-12-06T23:55:01.000Z [INFO] Workflow bundle created {',
        "  sdkComponent: 'worker',",
        '}',
        'worker teeka-1 polling task queue vaccine-journey at 127.0.0.1:7233',
        '2026-12-06T23:55:02.000Z [WARN] Activity failed { attempt: 1 }',
      ]),
    ).toEqual([
      'worker teeka-1 polling task queue vaccine-journey at 127.0.0.1:7233',
      '2026-12-06T23:55:02.000Z [WARN] Activity failed { attempt: 1 }',
    ]);
  });

  it('prints the API’s JSON log lines as time, level and message, and request lines only when asked', () => {
    const time = Date.UTC(2026, 11, 6, 23, 55, 3);
    const lines = [
      JSON.stringify({ level: 30, time, msg: 'Server listening at http://127.0.0.1:3000' }),
      JSON.stringify({
        level: 30,
        time,
        reqId: 'req-1',
        req: { method: 'GET', url: '/ready' },
        msg: 'incoming request',
      }),
      JSON.stringify({ level: 30, time, reqId: 'req-1', res: { statusCode: 200 }, msg: 'request completed' }),
      JSON.stringify({ level: 50, time, msg: 'outbox delivery failed', err: { message: 'connection refused' } }),
    ];
    expect(shown(lines)).toEqual([
      '23:55:03 INFO Server listening at http://127.0.0.1:3000',
      '23:55:03 ERROR outbox delivery failed: connection refused',
    ]);
    expect(shown(lines, true)).toHaveLength(4);
  });
});
