/**
 * Images from notebook outputs: base64 decoded only when the encoded size fits the cap, then validated as a real
 * PNG or JPEG by parsing its header (dimensions from IHDR / the SOF segment). Stored content-addressed as
 * `media/<sha256>.png|jpg`. SVG is never accepted: it can carry script.
 */
import { createHash } from 'node:crypto';

export const DEFAULT_MAX_MEDIA_BYTES = 2 * 1024 * 1024;
/** Bound on the pixel count we accept in a header: larger claims are decompression bombs or lies. */
const MAX_PIXELS = 100_000_000;

export type ImageInfo = { format: 'png' | 'jpg'; width: number; height: number };
export type MediaImage = ImageInfo & { path: string; bytes: Buffer };
export type ImageResult = { ok: true; image: MediaImage } | { ok: false; reason: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Header check: PNG signature + IHDR, or JPEG SOI + a start-of-frame segment. Null when neither. */
export function imageInfo(bytes: Buffer): ImageInfo | null {
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.toString('latin1', 12, 16) === 'IHDR') {
    return sane({ format: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegInfo(bytes);
  return null;
}

function jpegInfo(bytes: Buffer): ImageInfo | null {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / start of scan before any frame header
    const length = bytes.readUInt16BE(offset + 2);
    if (length < 2) return null;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (offset + 9 > bytes.length) return null;
      return sane({ format: 'jpg', height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) });
    }
    offset += 2 + length;
  }
  return null;
}

function sane(info: ImageInfo): ImageInfo | null {
  return info.width > 0 && info.height > 0 && info.width * info.height <= MAX_PIXELS ? info : null;
}

const MIME_FORMAT: Record<string, 'png' | 'jpg'> = { 'image/png': 'png', 'image/jpeg': 'jpg' };

/** A base64 image output (`image/png` or `image/jpeg` in a MIME bundle) → a validated media file, or why not. */
export function decodeImage(mime: string, base64: string, maxBytes: number): ImageResult {
  const expected = MIME_FORMAT[mime];
  if (!expected) return { ok: false, reason: `${mime} is not an accepted image type` };
  // 4 base64 characters carry 3 bytes; whitespace only makes this an overestimate, so the cap is safe.
  const estimate = Math.floor((base64.length * 3) / 4);
  if (estimate > maxBytes * 1.05 + 1024) return { ok: false, reason: `image of about ${formatBytes(estimate)} exceeds the ${formatBytes(maxBytes)} cap` };
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > maxBytes) return { ok: false, reason: `image of ${formatBytes(bytes.length)} exceeds the ${formatBytes(maxBytes)} cap` };
  const info = imageInfo(bytes);
  if (!info) return { ok: false, reason: `${mime} output is not a valid ${expected.toUpperCase()} image` };
  if (info.format !== expected) return { ok: false, reason: `${mime} output is really a ${info.format.toUpperCase()} image` };
  return { ok: true, image: { ...info, bytes, path: mediaPath(bytes, info.format) } };
}

export function mediaPath(bytes: Buffer, format: 'png' | 'jpg'): string {
  return `media/${createHash('sha256').update(bytes).digest('hex')}.${format}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
