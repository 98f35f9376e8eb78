import { describe, expect, it } from 'vitest';
import { decodeImage, imageInfo } from '../../crawler/extract/media.js';
import { jpeg, png } from './helpers.js';

describe('imageInfo', () => {
  it('reads PNG dimensions from IHDR', () => {
    expect(imageInfo(png(37, 21))).toEqual({ format: 'png', width: 37, height: 21 });
  });
  it('reads JPEG dimensions from the start-of-frame segment, past APPn segments', () => {
    expect(imageInfo(jpeg(640, 480))).toEqual({ format: 'jpg', width: 640, height: 480 });
  });
  it('refuses what only looks like an image', () => {
    expect(imageInfo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(imageInfo(png(3, 3).subarray(0, 20))).toBeNull(); // truncated header
    expect(imageInfo(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBeNull(); // scan before any frame
    const zero = png(1, 1);
    zero.writeUInt32BE(0, 16);
    expect(imageInfo(zero)).toBeNull();
    const bomb = png(1, 1);
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    expect(imageInfo(bomb)).toBeNull();
  });
});

describe('decodeImage', () => {
  it('decodes base64 into a content-addressed media file', () => {
    const bytes = png(8, 4);
    const result = decodeImage('image/png', bytes.toString('base64').replace(/(.{60})/g, '$1\n'), 1_000_000);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.image.bytes.equals(bytes)).toBe(true);
      expect(result.image.path).toMatch(/^media\/[0-9a-f]{64}\.png$/);
      expect(result.image).toMatchObject({ width: 8, height: 4, format: 'png' });
    }
    const again = decodeImage('image/png', bytes.toString('base64'), 1_000_000);
    expect(again.ok && result.ok && again.image.path === result.image.path).toBe(true);
  });
  it('checks the size cap on the encoded length, before decoding', () => {
    const result = decodeImage('image/png', 'A'.repeat(4_000_000), 1024 * 1024);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/about 2.9 MB exceeds the 1.0 MB cap/) });
  });
  it('refuses a MIME type that lies about the content, and SVG outright', () => {
    expect(decodeImage('image/png', jpeg(2, 2).toString('base64'), 1e6)).toEqual({ ok: false, reason: 'image/png output is really a JPG image' });
    expect(decodeImage('image/jpeg', Buffer.from('not an image').toString('base64'), 1e6)).toEqual({ ok: false, reason: 'image/jpeg output is not a valid JPG image' });
    expect(decodeImage('image/svg+xml', '<svg/>', 1e6).ok).toBe(false);
  });
});
