/** What a user must know before leaving for a facility: who may use it and how to sign in. */
import type { Access, Facility } from '../../../catalog/contract/index.js';
import { safeHref } from './safe-url.js';

export const ACCESS_LABELS: Record<Access, string> = {
  public: 'Public',
  institutional: 'Institutional',
  restricted: 'Restricted',
};

export type AccessSummary = {
  access: Access;
  label: string;
  /** One sentence on who may use the facility. */
  who: string;
  /** How to sign in, or null when the facility does not say. */
  signIn: string | null;
  /** Where to read more or ask for an account (docs, then an https contact page); null when none. */
  help: string | null;
  /** A contact e-mail address, when that is what the facility gives. */
  email: string | null;
};

type AccessFields = Pick<Facility, 'access' | 'auth' | 'organisation' | 'docs' | 'contact'>;

const summaries = new WeakMap<AccessFields, Readonly<AccessSummary>>();

/**
 * What a user must know about a facility's access. One object per facility record: every workflow page of a build
 * shows the same, and renders it once (render/launch-panel.ts). Records are never changed, so neither is it.
 */
export function accessSummary(facility: AccessFields): Readonly<AccessSummary> {
  let summary = summaries.get(facility);
  if (!summary) summaries.set(facility, (summary = Object.freeze(summarise(facility))));
  return summary;
}

function summarise(facility: AccessFields): AccessSummary {
  const org = facility.organisation;
  const who =
    facility.access === 'public'
      ? 'Open to anyone.'
      : facility.access === 'institutional'
        ? `For members of ${org ?? 'the institutions that run it'}.`
        : `By approval only${org ? ` (${org})` : ''}: ask for an account before launching.`;
  const auth = facility.auth?.trim();
  const signIn = !auth ? null : /^none$/i.test(auth) ? 'No sign-in needed.' : `Sign in with: ${auth}.`;
  const contact = facility.contact;
  const email = contact && !contact.includes('://') ? contact : null;
  const help = safeHref(facility.docs) ?? (contact && !email ? safeHref(contact) : null);
  return { access: facility.access, label: ACCESS_LABELS[facility.access], who, signIn, help, email };
}
