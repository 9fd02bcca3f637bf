/**
 * Rendered PDFs (certificates, appointment slips), kept per process. A PDF takes tens of milliseconds of this
 * process's event loop to render; the same document is asked for again and again (a person retrying a download, a
 * loop of them), and each is immutable for its key: a certificate id names one signed credential, a slip's key is
 * every field printed on it. Concurrent requests for one key share one render. Bounded by bytes, so a flood of
 * distinct documents evicts the oldest instead of growing without end; downloads are also limited per account and
 * per address (api/plugins/rate-limits.ts).
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const MAX_BYTES = 64 * 1024 * 1024;

export class PdfCache {
  private readonly done = new LRUCache<string, Buffer>({ maxSize: MAX_BYTES, sizeCalculation: (pdf) => pdf.length });
  private readonly rendering = new Map<string, Promise<Buffer>>();

  /** The PDF for `key`: cached, being rendered by another request, or rendered now. */
  async get(key: string, render: () => Promise<Buffer>): Promise<Buffer> {
    const cached = this.done.get(key);
    if (cached) return cached;
    const pending = this.rendering.get(key);
    if (pending) return pending;
    const rendered = render().then((pdf) => {
      this.done.set(key, pdf);
      return pdf;
    });
    this.rendering.set(key, rendered);
    try {
      return await rendered;
    } finally {
      this.rendering.delete(key);
    }
  }

  /** A key naming a document by everything printed on it (for documents without an immutable id). */
  static keyOf(kind: string, fields: object): string {
    return `${kind}:${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`;
  }
}
