/**
 * How a facility's last check (catalog/facility-status.json) reads on the site: a badge word and a check
 * time. Pure and browser-safe: pages render the absolute UTC time at build, and the browser turns it into
 * "checked N hours ago" when the page is viewed (site/scripts/time-ago.ts), so the age never goes stale
 * however long ago the site was built.
 */
import type { FacilityState, FacilityStatus } from '../../catalog/contract/index.js';

export type BadgeState = FacilityState | 'unknown';

export const STATUS_LABELS: Record<BadgeState, string> = {
  up: 'Up',
  degraded: 'Degraded',
  down: 'Down',
  unknown: 'Not checked yet',
};

/** What the site shows of one facility's status: its badge, and when (ISO and as UTC text) it was checked. */
export type StatusView = { state: BadgeState; label: string; checkedAt: string | null; checkedText: string | null };

/** "2026-12-06 02:17 UTC": the build-time text of a check time (what a reader without JavaScript sees). */
export function utcText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function statusView(status: Pick<FacilityStatus, 'state' | 'checkedAt'> | undefined): StatusView {
  if (!status) return { state: 'unknown', label: STATUS_LABELS.unknown, checkedAt: null, checkedText: null };
  return { state: status.state, label: STATUS_LABELS[status.state], checkedAt: status.checkedAt, checkedText: `checked ${utcText(status.checkedAt)}` };
}

/** "checked 5 minutes ago", "checked 3 hours ago", "checked 2 days ago" — from the ISO check time and now. */
export function checkedAgo(iso: string, now: Date): string | null {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return null;
  const minutes = Math.max(0, Math.floor((now.getTime() - then) / 60_000));
  const count = (n: number, unit: string) => `checked ${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (minutes < 1) return 'checked just now';
  if (minutes < 60) return count(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return count(hours, 'hour');
  return count(Math.floor(hours / 24), 'day');
}
