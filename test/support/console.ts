/**
 * What the CLI prints, for tests that call `main()` in-process: console.log lines into `out`, console.error
 * lines into `err`, both emptied before each test of the calling file or describe block; mocks and stubbed
 * environment variables are restored after each.
 */
import { afterEach, beforeEach, vi } from 'vitest';

export function captureConsole(): { out: string[]; err: string[] } {
  const printed = { out: [] as string[], err: [] as string[] };
  beforeEach(() => {
    printed.out.length = 0;
    printed.err.length = 0;
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.out.push(args.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.err.push(args.join(' ')));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });
  return printed;
}
