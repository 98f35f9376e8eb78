/**
 * The hub's REST API, always with the signed-in user's own OAuth token (never the service's): the hub
 * itself then guarantees the stager can only see and start that user's server.
 */
import type { HubEnvironment } from './environment.js';

/** A failure to show the user as it is: the message is written for them and carries no secret. */
export class StagingError extends Error {
  constructor(message: string, readonly status = 502) {
    super(message);
  }
}

type ServerModel = { ready?: boolean; pending?: string | null; url?: string; stopped?: boolean };
export type UserModel = { name: string; servers?: Record<string, ServerModel>; pending?: string | null };

const REQUEST_TIMEOUT = 15_000;

export async function hubRequest(env: HubEnvironment, token: string, method: string, path: string): Promise<Response> {
  try {
    return await fetch(`${env.apiUrl}${path}`, {
      method,
      headers: { Authorization: `token ${token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT),
      redirect: 'error',
    });
  } catch (error) {
    const cause = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (error as Error).name;
    throw new StagingError(`The hub did not answer (${cause}). It may be restarting; try again in a minute.`, 502);
  }
}

/** The token's owner, with their servers. */
export async function currentUser(env: HubEnvironment, token: string): Promise<UserModel> {
  const response = await hubRequest(env, token, 'GET', '/user');
  if (response.status === 401 || response.status === 403) throw new StagingError('The hub no longer accepts your sign-in; reload the link to sign in again.', 401);
  if (!response.ok) throw new StagingError(`The hub answered ${response.status} when asked who you are.`);
  const model = (await response.json()) as UserModel;
  if (typeof model.name !== 'string' || model.name === '') throw new StagingError('The hub did not say who you are.');
  return model;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the user's default server unless it is running, and waits (bounded) until the hub says it is
 * ready. `progress` gets one line per change worth showing.
 */
export async function ensureServer(env: HubEnvironment, token: string, user: string, timeoutSeconds: number, progress: (line: string) => void): Promise<void> {
  const server = (model: UserModel) => model.servers?.[''];
  let model = await currentUser(env, token);
  if (model.name !== user) throw new StagingError('Your sign-in changed while staging; reload the link.', 409);
  if (server(model)?.ready) {
    progress('Your server is running.');
    return;
  }
  if (!server(model)?.pending) {
    progress('Starting your server…');
    const response = await hubRequest(env, token, 'POST', `/users/${encodeURIComponent(user)}/server`);
    // 201 started, 202 starting; 400 "already running" (a race with another tab) is fine too.
    if (![201, 202, 400].includes(response.status)) {
      const detail = await response.json().then((body: { message?: string }) => body.message ?? '', () => '');
      throw new StagingError(`The hub could not start your server (${response.status}${detail ? `: ${detail.slice(0, 300)}` : ''}).`, 502);
    }
  } else progress('Your server is starting…');
  const started = Date.now();
  let delay = 50;
  let lastNote = started;
  for (;;) {
    model = await currentUser(env, token);
    const state = server(model);
    if (state?.ready) {
      progress(`Your server is running (${((Date.now() - started) / 1000).toFixed(1)} s).`);
      return;
    }
    if (!state || (!state.pending && !state.ready)) throw new StagingError('Your server stopped while starting. The hub\'s log says why; try again, or ask the facility.', 502);
    if (Date.now() - started > timeoutSeconds * 1000) throw new StagingError(`Your server did not start within ${timeoutSeconds} s. Try again later, or ask the facility.`, 504);
    if (Date.now() - lastNote > 5_000) {
      lastNote = Date.now();
      progress(`Still starting (${Math.round((Date.now() - started) / 1000)} s)…`);
    }
    await sleep(delay);
    delay = Math.min(delay * 1.5, 200);
  }
}
