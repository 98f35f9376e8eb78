/**
 * One confirmed staging, run in the background while the browser follows its progress: start the user's
 * server, pull the workflow, write the staging cell into the notebook, run it (when the facility says so),
 * then send the browser to the notebook. Jobs belong to the user who confirmed them and are forgotten after
 * a while.
 */
import { randomBytes } from 'node:crypto';
import type { ICell, INotebookContent } from '@jupyterlab/nbformat';
import type { StagerConfig } from '../catalog/contract/index.js';
import { STAGING_TAG, cellText, stagingCell, stagingLanguage, withStagingCell } from './cell/index.js';
import type { HubEnvironment } from './environment.js';
import { ensureServer, StagingError } from './hub.js';
import type { StagingRequest } from './link.js';
import { executeInNotebookSession, kernelSpecs, pullWorkflow, readNotebook, userServer, withOutputs, writeNotebook, type KernelSpecSummary } from './user-server.js';

export type JobState = 'running' | 'done' | 'failed';

export type Job = {
  id: string;
  user: string;
  state: JobState;
  steps: string[];
  /** Where the browser goes when done: the notebook in the chosen interface. */
  redirect: string | null;
  error: string | null;
  status: number;
  finished: number | null;
};

const KEEP_MS = 30 * 60_000;
const MAX_JOBS = 5_000;

export type KernelsSeen = { seenAt: string; specs: KernelSpecSummary[] } | null;

export class Jobs {
  private readonly jobs = new Map<string, Job>();
  private readonly waiters = new Map<string, Set<() => void>>();
  kernelsSeen: KernelsSeen = null;

  constructor(private readonly env: HubEnvironment, private readonly config: StagerConfig, private readonly log: (line: string) => void) {}

  /** The job, only for its own user. */
  get(id: string, user: string): Job | null {
    const job = this.jobs.get(id);
    return job && job.user === user ? job : null;
  }

  /** Resolves when the job changes (or after `ms`). */
  changed(job: Job, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(job.id) ?? new Set();
      this.waiters.set(job.id, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  private notify(job: Job): void {
    for (const wake of [...(this.waiters.get(job.id) ?? [])]) wake();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.finished !== null && now - job.finished > KEEP_MS) this.jobs.delete(id);
    while (this.jobs.size >= MAX_JOBS) this.jobs.delete(this.jobs.keys().next().value!);
  }

  start(user: string, token: string, request: StagingRequest): Job {
    this.sweep();
    const job: Job = { id: randomBytes(18).toString('base64url'), user, state: 'running', steps: [], redirect: null, error: null, status: 200, finished: null };
    this.jobs.set(job.id, job);
    const progress = (line: string) => {
      if (!line) return;
      job.steps.push(line);
      this.notify(job);
    };
    const started = Date.now();
    const phases: string[] = [];
    let phaseStart = started;
    const phase = (name: string) => {
      const now = Date.now();
      phases.push(`${name} ${now - phaseStart} ms`);
      phaseStart = now;
    };
    this.run(user, token, request, progress, phase)
      .then((redirect) => {
        job.redirect = redirect;
        job.state = 'done';
        this.log(`staged for ${user}: ${request.datasets.length} data set(s), ${request.launch.notebook} in ${Date.now() - started} ms (${phases.join(', ')})`);
      })
      .catch((error: unknown) => {
        job.state = 'failed';
        if (error instanceof StagingError) {
          job.error = error.message;
          job.status = error.status;
        } else {
          job.error = 'Staging failed unexpectedly. The service\'s log has the details; please tell the facility.';
          job.status = 500;
        }
        this.log(`staging failed for ${user}: ${error instanceof StagingError ? error.message.split('\n')[0] : (error as Error).stack ?? String(error)}`);
      })
      .finally(() => {
        job.finished = Date.now();
        this.notify(job);
      });
    return job;
  }

  private async run(user: string, token: string, request: StagingRequest, progress: (line: string) => void, phase: (name: string) => void): Promise<string> {
    const { limits } = this.config;
    await ensureServer(this.env, token, user, limits.serverStartSeconds, progress);
    phase('server');
    const server = userServer(this.env.hubUrl, user, token);
    const specs = kernelSpecs(server).then(
      (found) => {
        this.kernelsSeen = { seenAt: new Date().toISOString(), specs: found.specs };
        return found;
      },
      () => null,
    );
    progress(`Pulling ${request.launch.repo}…`);
    await pullWorkflow(server, request.launch, limits.pullSeconds, progress);
    progress('The workflow is in your home.');
    phase('pull');
    const notebook = await readNotebook(server, request.launch.notebook);
    phase('read');
    const kernelspec = (notebook.metadata?.kernelspec ?? {}) as { name?: string; language?: string };
    const known = await specs;
    const kernelName = kernelspec.name ?? known?.default ?? 'python3';
    const language = kernelspec.language ?? notebook.metadata?.language_info?.name ?? known?.specs.find((spec) => spec.name === kernelName)?.language ?? '';
    const plan = { into: request.into, datasets: request.datasets };
    let cell: ICell;
    try {
      cell = stagingCell(language, plan);
    } catch (error) {
      throw new StagingError(`No staging cell can be written for this link: ${(error as Error).message}`, 400);
    }
    let staged: INotebookContent = withStagingCell(notebook, cell);
    if (this.config.execute && cell.cell_type === 'code' && stagingLanguage(language) !== null) {
      if (known && !known.specs.some((spec) => spec.name === kernelName)) {
        progress(`Your server has no "${kernelName}" kernel, so the staging cell was not run; run it after choosing a kernel.`);
      } else {
        progress(`Fetching the data (${request.datasets.length} data set${request.datasets.length === 1 ? '' : 's'}) in a ${kernelName} kernel…`);
        const execution = await executeInNotebookSession(server, request.launch.notebook, kernelName, cellText(cell), limits.executeSeconds);
        cell = withOutputs(cell, execution);
        staged = withStagingCell(notebook, cell);
        phase('run');
        progress(execution.status === 'ok' ? `The data is in ${request.into}.` : `The staging cell reported an error (${execution.error ?? execution.status}); the notebook shows its output.`);
      }
    }
    await writeNotebook(server, request.launch.notebook, staged);
    phase('write');
    progress(`The staging cell (tagged ${STAGING_TAG}) is at the top of ${request.launch.notebook}. Opening it…`);
    return new URL(request.launch.urlpath, server.base).href;
  }
}
