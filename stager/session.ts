/**
 * Browser sessions: the cookie holds only a random session id and its HMAC (HttpOnly, SameSite=Lax, scoped
 * to the service's prefix); the user's name and OAuth token stay in this process's memory. A restart
 * forgets every session, and the hub signs the user in again without a prompt (oauth_no_confirm).
 * CSRF tokens are HMACs of the session id and the user name: a form from one session is worthless in another.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type Session = {
  id: string;
  user: string;
  /** The user's OAuth access token for the hub and their server. Never logged, shown or put in a URL. */
  token: string;
  expires: number;
};

/** A pending sign-in: what to come back to, bound to the browser by the state cookie. */
export type PendingLogin = { state: string; codeVerifier: string; next: string; expires: number };

const SESSION_TTL = 8 * 3600_000;
const LOGIN_TTL = 10 * 60_000;
const MAX_SESSIONS = 10_000;

export const SESSION_COOKIE = 'ida-stager-session';
export const STATE_COOKIE = 'ida-stager-oauth-state';

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class Sessions {
  private readonly secret = randomBytes(32);
  private readonly sessions = new Map<string, Session>();
  private readonly logins = new Map<string, PendingLogin>();

  constructor(private readonly cookiePath: string, private readonly secure: boolean) {}

  private mac(kind: string, value: string): string {
    return createHmac('sha256', this.secret).update(`${kind}\0${value}`).digest('base64url');
  }

  private signed(kind: string, value: string): string {
    return `${value}.${this.mac(kind, value)}`;
  }

  private unsign(kind: string, cookie: string | undefined): string | null {
    if (!cookie) return null;
    const dot = cookie.lastIndexOf('.');
    if (dot <= 0) return null;
    const value = cookie.slice(0, dot);
    return equal(cookie.slice(dot + 1), this.mac(kind, value)) ? value : null;
  }

  cookie(name: string, value: string, maxAgeSeconds: number): string {
    const attributes = [`${name}=${value}`, `Path=${this.cookiePath}`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
    if (this.secure) attributes.push('Secure');
    return attributes.join('; ');
  }

  private sweep(now: number): void {
    for (const [id, session] of this.sessions) if (session.expires < now) this.sessions.delete(id);
    for (const [state, login] of this.logins) if (login.expires < now) this.logins.delete(state);
  }

  /** Starts a session; returns the Set-Cookie value. */
  create(user: string, token: string): { session: Session; setCookie: string } {
    const now = Date.now();
    this.sweep(now);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const session = { id: randomBytes(24).toString('base64url'), user, token, expires: now + SESSION_TTL };
    this.sessions.set(session.id, session);
    return { session, setCookie: this.cookie(SESSION_COOKIE, this.signed('session', session.id), SESSION_TTL / 1000) };
  }

  find(cookies: Record<string, string | undefined>): Session | null {
    const id = this.unsign('session', cookies[SESSION_COOKIE]);
    const session = id === null ? undefined : this.sessions.get(id);
    if (!session || session.expires < Date.now()) return null;
    return session;
  }

  drop(session: Session): void {
    this.sessions.delete(session.id);
  }

  csrfToken(session: Session): string {
    return this.mac('csrf', `${session.id}\0${session.user}`);
  }

  checkCsrf(session: Session, token: unknown): boolean {
    return typeof token === 'string' && equal(token, this.csrfToken(session));
  }

  /** Remembers a sign-in in progress; returns the Set-Cookie that binds it to this browser. */
  beginLogin(login: Omit<PendingLogin, 'expires'>): string {
    const now = Date.now();
    this.sweep(now);
    if (this.logins.size >= MAX_SESSIONS) this.logins.delete(this.logins.keys().next().value!);
    this.logins.set(login.state, { ...login, expires: now + LOGIN_TTL });
    return this.cookie(STATE_COOKIE, this.signed('state', login.state), LOGIN_TTL / 1000);
  }

  /** The pending sign-in this browser started, used once. */
  finishLogin(cookies: Record<string, string | undefined>): PendingLogin | null {
    const state = this.unsign('state', cookies[STATE_COOKIE]);
    if (state === null) return null;
    const login = this.logins.get(state);
    this.logins.delete(state);
    return login && login.expires >= Date.now() ? login : null;
  }
}
