/**
 * How the corpus tools (mirrors for the offline catalog, `npm run corpus`) run git: no system or global
 * config, no hooks, a neutral HOME, no prompts, so a developer's own git setup never changes what they make.
 */
import os from 'node:os';

/** `-c` settings every corpus git command runs with. */
export const CORPUS_GIT_CONFIG = ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', '-c', 'advice.detachedHead=false'];

/** The environment of a corpus git command, plus `extra` (a GIT_DIR, commit identities…). */
export function corpusGitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extra };
}
