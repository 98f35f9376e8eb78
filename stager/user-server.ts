/**
 * The user's single-user server, through the hub's proxy, with the user's own token in an Authorization
 * header (never in a URL: `appendToken` is off and the WebSocket sends the header too). Jupyter's own client,
 * @jupyterlab/services, does the contents, sessions, kernel specs and kernel messaging; nbgitpuller's
 * event stream is read with the same connection settings.
 */
import type { ICell, IOutput, INotebookContent } from '@jupyterlab/nbformat';
import { ContentsManager, KernelConnection, KernelSpecAPI, ServerConnection, SessionAPI, type KernelMessage } from '@jupyterlab/services';
import WebSocket from 'ws';
import { StagingError } from './hub.js';

export type UserServer = { settings: ServerConnection.ISettings; base: string };

export function userServer(hubUrl: URL, user: string, token: string): UserServer {
  const base = new URL(`user/${encodeURIComponent(user)}/`, hubUrl).href;
  class AuthorizedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { Authorization: `token ${token}` } });
    }
  }
  const settings = ServerConnection.makeSettings({
    baseUrl: base,
    wsUrl: base.replace(/^http/, 'ws'),
    token,
    appendToken: false,
    fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, redirect: 'manual', signal: init?.signal ?? AbortSignal.timeout(60_000) }),
    Request,
    Headers,
    WebSocket: AuthorizedWebSocket as unknown as typeof globalThis.WebSocket,
  });
  return { settings, base };
}

export type KernelSpecSummary = { name: string; displayName: string; language: string };

export async function kernelSpecs(server: UserServer): Promise<{ default: string; specs: KernelSpecSummary[] }> {
  const models = await KernelSpecAPI.getSpecs(server.settings);
  const specs = Object.values(models.kernelspecs)
    .filter((spec): spec is NonNullable<typeof spec> => Boolean(spec))
    .map((spec) => ({ name: spec.name, displayName: spec.display_name, language: spec.language }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { default: models.default, specs };
}

type PullEvent = { phase?: string; output?: string; message?: string };

/**
 * Pulls the workflow with nbgitpuller's own API on the user's server (the event stream its status page
 * opens) and waits for its end: clone on first launch, fetch and merge after.
 */
export async function pullWorkflow(
  server: UserServer,
  target: { repo: string; branch: string | null; targetPath: string },
  timeoutSeconds: number,
  progress: (line: string) => void,
): Promise<void> {
  const query = new URLSearchParams({ repo: target.repo, targetpath: target.targetPath });
  if (target.branch) query.set('branch', target.branch);
  const url = `${server.base}git-pull/api?${query}`;
  const response = await ServerConnection.makeRequest(url, { signal: AbortSignal.timeout(timeoutSeconds * 1000), cache: 'default' }, server.settings);
  if (!response.ok || !response.body) {
    throw new StagingError(response.status === 404 ? 'This facility\'s servers have no nbgitpuller, so the workflow cannot be pulled.' : `Pulling the workflow failed: the server answered ${response.status}.`);
  }
  const decoder = new TextDecoder();
  let buffered = '';
  const lines: string[] = [];
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, end).replace(/\r$/, '');
        buffered = buffered.slice(end + 1);
        if (!line.startsWith('data:')) continue;
        let event: PullEvent;
        try {
          event = JSON.parse(line.slice(5)) as PullEvent;
        } catch {
          continue;
        }
        if (event.output) lines.push(event.output.trimEnd());
        if (event.phase === 'finished') return;
        if (event.phase === 'error') {
          const detail = (event.message ?? '').split('\n')[0]!.slice(0, 300);
          throw new StagingError(`nbgitpuller could not pull ${target.repo}: ${detail || 'see the output below'}\n${lines.slice(-10).join('\n')}`);
        }
      }
    }
  } catch (error) {
    if (error instanceof StagingError) throw error;
    throw new StagingError(`Pulling the workflow did not finish within ${timeoutSeconds} s.`, 504);
  }
  progress(lines.at(-1) ?? '');
  throw new StagingError('nbgitpuller stopped before saying the pull was finished.');
}

export async function readNotebook(server: UserServer, path: string): Promise<INotebookContent> {
  const contents = new ContentsManager({ serverSettings: server.settings });
  try {
    const model = await contents.get(path, { type: 'notebook', content: true });
    return model.content as INotebookContent;
  } catch (error) {
    const status = (error as { response?: Response }).response?.status;
    throw new StagingError(status === 404 ? `The workflow was pulled, but it has no notebook ${path}.` : `The notebook ${path} could not be read (${status ?? (error as Error).message}).`);
  } finally {
    contents.dispose();
  }
}

export async function writeNotebook(server: UserServer, path: string, notebook: INotebookContent): Promise<void> {
  const contents = new ContentsManager({ serverSettings: server.settings });
  try {
    await contents.save(path, { type: 'notebook', format: 'json', content: notebook });
  } catch (error) {
    const status = (error as { response?: Response }).response?.status;
    throw new StagingError(`The notebook ${path} could not be written (${status ?? (error as Error).message}).`);
  } finally {
    contents.dispose();
  }
}

export type Execution = { status: 'ok' | 'error' | 'abort'; executionCount: number | null; outputs: IOutput[]; error?: string };

function outputOf(message: KernelMessage.IIOPubMessage): IOutput | null {
  const content = message.content as Record<string, unknown>;
  switch (message.header.msg_type) {
    case 'stream':
      return { output_type: 'stream', name: content.name as string, text: content.text as string };
    case 'display_data':
      return { output_type: 'display_data', data: content.data as never, metadata: (content.metadata ?? {}) as never };
    case 'execute_result':
      return { output_type: 'execute_result', data: content.data as never, metadata: (content.metadata ?? {}) as never, execution_count: content.execution_count as number };
    case 'error':
      return { output_type: 'error', ename: content.ename as string, evalue: content.evalue as string, traceback: content.traceback as string[] };
    default:
      return null;
  }
}

/**
 * Runs `code` in a kernel of the notebook's session (the kernel the notebook then opens with, since the
 * server reuses a path's session), and returns its outputs for the cell.
 */
export async function executeInNotebookSession(server: UserServer, notebookPath: string, kernelName: string, code: string, timeoutSeconds: number): Promise<Execution> {
  const name = notebookPath.split('/').at(-1)!;
  const model = await SessionAPI.startSession({ path: notebookPath, name, type: 'notebook', kernel: { name: kernelName } }, server.settings).catch((error: Error & { response?: Response }) => {
    throw new StagingError(`A ${kernelName} kernel could not be started on your server (${error.response?.status ?? error.message}).`);
  });
  if (!model.kernel) throw new StagingError('Your server started no kernel for the notebook.');
  const kernel = new KernelConnection({ model: model.kernel, serverSettings: server.settings, handleComms: false });
  const outputs: IOutput[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    const future = kernel.requestExecute({ code, silent: false, store_history: true, allow_stdin: false, stop_on_error: true });
    future.onIOPub = (message) => {
      const output = outputOf(message);
      if (output) outputs.push(output);
    };
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StagingError(`The staging cell did not finish within ${timeoutSeconds} s; it may still be running in the notebook's kernel.`, 504)), timeoutSeconds * 1000);
    });
    const reply = await Promise.race([future.done, timeout]);
    const content = reply.content as { status: 'ok' | 'error' | 'abort'; execution_count?: number; ename?: string; evalue?: string };
    return { status: content.status, executionCount: content.execution_count ?? null, outputs, error: content.status === 'error' ? `${content.ename}: ${content.evalue}` : undefined };
  } finally {
    clearTimeout(timer);
    kernel.dispose();
  }
}

/** The cell with the outputs of its run, as the notebook would have saved it. */
export function withOutputs(cell: ICell, execution: Execution): ICell {
  if (cell.cell_type !== 'code') return cell;
  return { ...cell, execution_count: execution.executionCount, outputs: execution.outputs };
}
