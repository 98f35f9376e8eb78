/** Crawl progress: a live bar on a terminal, one plain line per repository in CI logs. */
import cliProgress from 'cli-progress';

export type Progress = {
  add(count: number): void;
  done(line: string): void;
  stop(): void;
};

export function createProgress(mode: 'bar' | 'lines' | 'none', write: (line: string) => void): Progress {
  if (mode === 'none') return { add() {}, done() {}, stop() {} };
  if (mode === 'lines') {
    let total = 0;
    let finished = 0;
    return {
      add(count) {
        total += count;
      },
      done(line) {
        finished += 1;
        write(`[${finished}/${total}] ${line}`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'crawl [{bar}] {value}/{total} repositories | {last}', hideCursor: true, clearOnComplete: false, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    add(count) {
      if (!started) {
        bar.start(count, 0, { last: '' });
        started = true;
      } else bar.setTotal(bar.getTotal() + count);
    },
    done(line) {
      bar.increment(1, { last: line.slice(0, 60) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
