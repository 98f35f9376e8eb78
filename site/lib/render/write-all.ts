import { writeSync } from 'node:fs';

/** Writes all of `bytes` to `fd` at `position`: a write may take fewer bytes than it is given. */
export function writeAll(fd: number, bytes: Buffer, position: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}
