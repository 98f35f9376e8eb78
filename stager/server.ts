/**
 * The staging service's HTTP server: the v1 staging link (sign-in, then a confirmation page), the POST that
 * acts (CSRF token bound to the session), the progress of a job, `info`. Only POST changes anything.
 * Errors become pages written for the user; stacks go to the log only. Query strings are never logged
 * (the OAuth callback's carries the authorization code).
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { parse as parseCookies } from 'cookie';
import * as oauth from 'oauth4webapi';
import { DatasetKind, STAGING_FORMAT_VERSIONS, type StagerConfig } from '../catalog/contract/index.js';
import { STAGING_TAG, cellText, stagingCell } from './cell/index.js';
import { hostPatterns } from './config.js';
import type { HubEnvironment } from './environment.js';
import { headSize } from './head.js';
import { currentUser, StagingError } from './hub.js';
import { Jobs } from './jobs.js';
import { checkStagingLink, type StagingRequest } from './link.js';
import { oauthClient, SignInError } from './oauth.js';
import { confirmationPage, errorPage, landingPage, page, progressPage, PROGRESS_SCRIPT, STYLESHEET, type StagedCell } from './pages.js';
import { Sessions, type Session } from './session.js';

export const STAGER_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const MAX_FORM_BYTES = 64 * 1024;
const CELL_LANGUAGES: Array<[string, string]> = [
  ['python', 'Python kernel'],
  ['r', 'R kernel'],
  ['julia', 'Julia kernel'],
  ['', 'any other kernel (instructions as markdown)'],
];

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

export type StagerOptions = { env: HubEnvironment; config: StagerConfig; log?: (line: string) => void };

export type StagerServer = { server: http.Server; jobs: Jobs; close: () => Promise<void> };

class Reply {
  constructor(readonly response: http.ServerResponse) {}
  send(status: number, type: string, body: string, headers: Record<string, string | string[]> = {}): void {
    if (this.response.headersSent) return;
    this.response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, ...headers });
    this.response.end(body);
  }
  html(status: number, body: string, headers: Record<string, string | string[]> = {}): void {
    this.send(status, 'text/html; charset=utf-8', body, headers);
  }
  json(status: number, value: unknown): void {
    this.send(status, 'application/json; charset=utf-8', `${JSON.stringify(value, null, 2)}\n`);
  }
  redirect(status: 302 | 303, location: string, headers: Record<string, string | string[]> = {}): void {
    this.send(status, 'text/plain; charset=utf-8', '', { ...headers, Location: location });
  }
}

async function readForm(request: http.IncomingMessage): Promise<URLSearchParams | null> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return null;
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function createStagerServer(options: StagerOptions): StagerServer {
  const { env, config } = options;
  const log = options.log ?? ((line: string) => console.log(`[stager] ${line}`));
  const prefix = env.prefix;
  const patterns = hostPatterns(config);
  const sessions = new Sessions(prefix, env.hubUrl.protocol === 'https:');
  const client = oauthClient(env);
  const jobs = new Jobs(env, config, log);
  const linkContext = { hubUrl: env.hubUrl, patterns, maxDatasets: config.limits.maxDatasets };

  /** The staging cell in each language it may be written in (the notebook's language is known only after the pull). */
  const cellsFor = (request: StagingRequest): StagedCell[] =>
    CELL_LANGUAGES.map(([language, label]) => {
      let cell: ReturnType<typeof stagingCell>;
      try {
        cell = stagingCell(language, { into: request.into, datasets: request.datasets });
      } catch (error) {
        throw new StagingError(`No staging cell can be written for this link: ${(error as Error).message}`, 400);
      }
      return { language: language || 'other', label: `For a ${label}`, code: cellText(cell) };
    });

  async function signIn(reply: Reply, next: string): Promise<void> {
    const state = oauth.generateRandomState();
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const setCookie = sessions.beginLogin({ state, codeVerifier, next });
    reply.redirect(302, await client.authorizeUrl(state, codeVerifier), { 'Set-Cookie': setCookie });
  }

  function refuse(reply: Reply, status: number, title: string, messages: string[]): void {
    reply.html(status, errorPage(prefix, title, messages));
  }

  function refuseLink(reply: Reply, checked: Extract<ReturnType<typeof checkStagingLink>, { ok: false }>): void {
    const title = checked.refusedHosts.length > 0 ? 'Data host not allowed' : 'This staging link cannot be used';
    const messages = [...checked.problems];
    if (checked.refusedHosts.length > 0) messages.push(`This facility stages data only from the hosts its operators allow (${config.allowHosts.length > 0 ? config.allowHosts.join(', ') : 'none yet'}). Ask them to add ${checked.refusedHosts.join(', ')}, or fetch the data yourself after launching.`);
    refuse(reply, checked.refusedHosts.length > 0 ? 403 : 400, title, messages);
  }

  async function showLink(reply: Reply, session: Session, url: URL): Promise<void> {
    const checked = checkStagingLink(url.searchParams, linkContext);
    if (!checked.ok) return refuseLink(reply, checked);
    // The user the hub knows for this token, now: a token the hub no longer accepts (expired, revoked,
    // the user removed) ends the session and signs the user in again.
    let user: Awaited<ReturnType<typeof currentUser>>;
    try {
      user = await currentUser(env, session.token);
    } catch (error) {
      if (!(error instanceof StagingError) || error.status !== 401) throw error;
      sessions.drop(session);
      return signIn(reply, `${url.pathname}${url.search}`);
    }
    if (user.name !== session.user) throw new StagingError('Your sign-in changed; reload the link.', 409);
    const timeout = config.limits.headTimeoutMs;
    const sizes = await Promise.all(checked.request.datasets.map((dataset) => headSize(dataset.url, patterns, timeout)));
    reply.html(
      200,
      confirmationPage({ prefix, user: session.user, request: checked.request, sizes, cells: cellsFor(checked.request), csrf: sessions.csrfToken(session), link: url.search.slice(1), execute: config.execute }),
    );
  }

  async function stage(reply: Reply, request: http.IncomingMessage, session: Session | null): Promise<void> {
    const form = await readForm(request);
    if (!session) return refuse(reply, 403, 'Not signed in', ['Staging needs you to be signed in: open the staging link again.']);
    if (!form || !sessions.checkCsrf(session, form.get('csrf'))) {
      return refuse(reply, 403, 'Request refused', ['This request did not come from the confirmation page of your session, so nothing was done. Open the staging link again and confirm there.']);
    }
    const query = new URLSearchParams(form.get('link') ?? '');
    const checked = checkStagingLink(query, linkContext);
    if (!checked.ok) return refuseLink(reply, checked);
    const job = jobs.start(session.user, session.token, checked.request);
    reply.redirect(303, `${prefix}jobs/${job.id}`);
  }

  async function route(request: http.IncomingMessage, reply: Reply): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stager.invalid');
    const method = request.method ?? 'GET';
    const cookies = parseCookies(request.headers.cookie ?? '');
    const session = sessions.find(cookies);
    if (!url.pathname.startsWith(prefix) && `${url.pathname}/` !== prefix) return refuse(reply, 404, 'Not found', ['There is nothing here.']);
    const path = url.pathname.slice(prefix.length);
    if (method === 'POST') {
      if (path === 'stage') return stage(reply, request, session);
      return refuse(reply, 405, 'Not allowed', ['Only the confirmation form may be posted.']);
    }
    if (method !== 'GET' && method !== 'HEAD') return refuse(reply, 405, 'Not allowed', [`${method} is not supported.`]);
    if (path === 'static/stager.css') return reply.send(200, 'text/css; charset=utf-8', STYLESHEET, { 'Cache-Control': 'public, max-age=3600' });
    if (path === 'static/progress.js') return reply.send(200, 'text/javascript; charset=utf-8', PROGRESS_SCRIPT, { 'Cache-Control': 'public, max-age=3600' });
    if (path === 'info') {
      return reply.json(200, {
        service: 'ida-catalog stager',
        version: STAGER_VERSION,
        stagingFormats: [...STAGING_FORMAT_VERSIONS],
        datasetKinds: DatasetKind.options,
        cellTag: STAGING_TAG,
        allowHosts: config.allowHosts,
        execute: config.execute,
        kernels: jobs.kernelsSeen,
      });
    }
    if (path === 'oauth_callback' || url.pathname === env.callbackUrl) {
      const login = sessions.finishLogin(cookies);
      if (!login) return refuse(reply, 400, 'Sign-in expired', ['This sign-in was not started here or took too long. Open the staging link again.']);
      let token: string;
      try {
        token = await client.exchange(url.searchParams, login.state, login.codeVerifier);
      } catch (error) {
        if (error instanceof SignInError) return refuse(reply, 403, 'Sign-in failed', [error.message]);
        throw error;
      }
      const user = await currentUser(env, token);
      const { setCookie } = sessions.create(user.name, token);
      const clearState = sessions.cookie('ida-stager-oauth-state', '', 0);
      const next = login.next.startsWith(prefix) ? login.next : prefix;
      return reply.redirect(302, next, { 'Set-Cookie': [setCookie, clearState] });
    }
    const jobMatch = /^jobs\/([A-Za-z0-9_-]{10,64})(\/status)?$/.exec(path);
    if (jobMatch) {
      const job = session ? jobs.get(jobMatch[1]!, session.user) : null;
      if (!job) return refuse(reply, 404, 'Not found', ['No staging of yours goes by this address (it may have expired, or belong to someone else).']);
      if (jobMatch[2]) {
        const after = Math.max(0, Number(url.searchParams.get('after')) || 0);
        if (job.state === 'running' && job.steps.length <= after) await jobs.changed(job, 15_000);
        return reply.json(200, { state: job.state, steps: job.steps.slice(after) });
      }
      if (job.state === 'done') return reply.redirect(303, job.redirect!);
      if (job.state === 'failed') return reply.html(job.status, errorPage(prefix, 'Staging did not finish', [...job.steps, job.error ?? 'Staging failed.']));
      return reply.html(200, progressPage(prefix, `${prefix}jobs/${job.id}`, job.steps));
    }
    if (path === '' && url.searchParams.has('v')) {
      // A link that cannot be used is refused before any sign-in.
      const checked = checkStagingLink(url.searchParams, linkContext);
      if (!checked.ok) return refuseLink(reply, checked);
      if (!session) return signIn(reply, `${url.pathname}${url.search}`);
      return showLink(reply, session, url);
    }
    if (path === '') return reply.html(200, landingPage(prefix));
    return refuse(reply, 404, 'Not found', ['There is nothing here.']);
  }

  const server = http.createServer((request, response) => {
    const reply = new Reply(response);
    const started = Date.now();
    const path = (request.url ?? '/').split('?')[0];
    response.on('finish', () => log(`${request.method} ${path} ${response.statusCode} ${Date.now() - started} ms`));
    route(request, reply).catch((error: unknown) => {
      if (error instanceof StagingError) {
        reply.html(error.status, errorPage(prefix, 'Staging is not possible right now', [error.message]));
        return;
      }
      log(`error on ${request.method} ${path}: ${(error as Error).stack ?? String(error)}`);
      reply.html(500, errorPage(prefix, 'Something went wrong', ['The staging service hit an unexpected error; its log has the details. Nothing was changed.']));
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  return {
    server,
    jobs,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export { page };
