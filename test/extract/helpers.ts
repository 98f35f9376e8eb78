/** Small hand-made inputs for the extractor's unit tests: notebooks, images, in-memory repository snapshots. */
import { deflateSync } from 'node:zlib';
import type { RepoSnapshot } from '../../crawler/extract/index.js';
import { type Notebook, normaliseNotebook } from '../../crawler/extract/notebook.js';
import { Warnings } from '../../crawler/extract/warnings.js';

export type Cell = Record<string, unknown>;

export function md(source: string | string[]): Cell {
  return { cell_type: 'markdown', metadata: {}, source };
}

export function code(source: string | string[], outputs: unknown[] = [], executionCount: number | null = null): Cell {
  return { cell_type: 'code', metadata: {}, source, outputs, execution_count: executionCount };
}

export function nb4(cells: Cell[], metadata: Record<string, unknown> = {}, minor = 4): Record<string, unknown> {
  return { cells, metadata, nbformat: 4, nbformat_minor: minor };
}

export const PYTHON_METADATA = {
  kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
  language_info: { name: 'python' },
};

export function normalised(value: unknown): { notebook: Notebook; warnings: string[] } {
  const warnings = new Warnings('t.ipynb');
  const notebook = normaliseNotebook(value, warnings);
  return { notebook, warnings: warnings.list() };
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real (grey, 8-bit) PNG of the given size. */
export function png(width: number, height: number, shade = 128): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height, shade);
  for (let row = 0; row < height; row++) rows[row * (width + 1)] = 0; // filter byte
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A JPEG header (SOI, APP0/JFIF, SOF0 with the size, EOI): enough for a header parser, as real files begin. */
export function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x01, 0x01, 0x11, 0x00]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

export function imageOutput(mime: string, bytes: Buffer | string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { output_type: 'display_data', metadata: {}, data: { [mime]: typeof bytes === 'string' ? bytes : bytes.toString('base64'), 'text/plain': '<Figure>', ...extra } };
}

export type MemoryFile = string | Buffer | { size: number; fail?: string };

/** A snapshot over in-memory files; `reads` records which blobs the extractor fetched. */
export function memorySnapshot(files: Record<string, MemoryFile>, extra: Partial<RepoSnapshot> = {}): RepoSnapshot & { reads: string[] } {
  const reads: string[] = [];
  return {
    repository: { url: 'https://github.com/example/repo', provider: 'github', fullName: 'example/repo', ref: 'main', commit: 'a'.repeat(40), committedAt: '2024-03-01T10:00:00Z' },
    files: Object.entries(files).map(([path, content]) => {
      const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.isBuffer(content) ? content : null;
      return {
        path,
        size: bytes ? bytes.length : (content as { size: number }).size,
        read: async () => {
          reads.push(path);
          if (bytes) return bytes;
          throw new Error((content as { fail?: string }).fail ?? 'blob not available');
        },
      };
    }),
    reads,
    ...extra,
  };
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 1);
}
