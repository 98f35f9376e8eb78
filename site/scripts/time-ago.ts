/** Turns every `<time data-checked-ago datetime=ISO>` under `root` into "checked N hours ago", as of now. */
import { checkedAgo } from '../lib/facility-status.js';

export function renderTimesAgo(root: ParentNode, now = new Date()): void {
  for (const element of root.querySelectorAll<HTMLTimeElement>('time[data-checked-ago]')) {
    const text = checkedAgo(element.dateTime, now);
    if (text) element.textContent = text;
  }
}
