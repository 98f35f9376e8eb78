/**
 * The Launch panel's markup for one workflow page. Without JavaScript it is a list of direct links
 * (facility × interface, best-suited facilities first, each with its access rules); the chooser form is
 * hidden until site/scripts/launch/panel.ts turns it into one Launch button. Each facility's access rules
 * are rendered once, in the list; the chooser script copies the chosen one's and reads the facilities and
 * their links from the list too (data-facility, data-ui). The JSON block carries only the cart's entry for
 * the workflow: a page repeats nothing it already says. Styles: components/LaunchPanel.astro.
 */
import type { Facility, Workflow } from '../../../catalog/contract/index.js';
import { cartWorkflow } from '../launch/cart.js';
import { facilityNotice, facilityOptionLabel, launchChoices, type FacilityChoice } from '../launch/choices.js';
import { scriptJson } from '../jsonld.js';
import { html, trusted, type SafeHtml } from './html.js';

function accessRules(choice: FacilityChoice): SafeHtml {
  const notice = facilityNotice(choice);
  return html`${notice.caveat && html`<p class="launch-note" data-fit="${choice.language}">${notice.caveat}</p>`}<p class="launch-rules"><span class="${`access access-${choice.access.access}`}">${notice.label}</span> ${notice.rules}${notice.help && html` <a href="${notice.help}" rel="noopener noreferrer">How to get access</a>.`}</p>`;
}

/** A facility's option in the chooser, and its name and access rules in the list: the same on every page. */
type FacilityMarkup = { option: SafeHtml; about: SafeHtml };

/**
 * Facility markup by facility (its access summary is one object per facility record: launch/access.ts), then by
 * how it fits the workflow (language and notes), so a build renders each a handful of times, not once per page.
 */
const facilityMarkup = new WeakMap<object, Map<string, FacilityMarkup>>();

function markupOf(choice: FacilityChoice): FacilityMarkup {
  let byFit = facilityMarkup.get(choice.access);
  if (!byFit) facilityMarkup.set(choice.access, (byFit = new Map()));
  const fit = `${choice.language}\n${choice.notes.join('\n')}`;
  let markup = byFit.get(fit);
  if (!markup) {
    markup = {
      option: html`<option value="${choice.id}">${facilityOptionLabel(choice)}</option>`,
      about: html`<h3>${choice.name}</h3><div data-rules-for="${choice.id}">${accessRules(choice)}</div>`,
    };
    byFit.set(fit, markup);
  }
  return markup;
}

export function launchPanelHtml(workflow: Workflow, facilities: readonly Facility[], base: string): string {
  const { launchable, others } = launchChoices(workflow, facilities);
  const data = { workflow: cartWorkflow(workflow) };
  const panelId = `launch-${workflow.id}`;
  const cart = `${base}cart/`;
  const body =
    launchable.length === 0
      ? html`<p class="launch-none">No facility in this catalog can open this workflow directly. Download the notebook or open the repository at its commit instead.</p>`
      : html`<form class="launch-chooser" data-launch-chooser hidden><label for="${panelId}-facility">Facility</label><select id="${panelId}-facility" data-launch-facility>${launchable.map((choice) => markupOf(choice).option)}</select><label for="${panelId}-interface">Interface</label><select id="${panelId}-interface" data-launch-interface></select><a class="button launch-go" data-launch-go href="${launchable[0]!.interfaces[0]!.href}" rel="nofollow noopener noreferrer">Launch</a><p class="launch-cart"><button type="button" class="button secondary" data-cart-add>Add to cart</button> <span role="status" data-cart-status></span></p></form><details class="launch-all" open data-launch-all><summary>All facilities and direct links</summary><ul class="launch-list">${launchable.map(
          (choice) =>
            html`<li data-facility="${choice.id}">${markupOf(choice).about}<ul class="launch-links">${choice.interfaces.map((item) => html`<li><a href="${item.href}" data-ui="${item.ui}" rel="nofollow noopener noreferrer">Open in ${item.label}</a></li>`)}</ul></li>`,
        )}</ul></details>`;
  const elsewhere =
    others.length > 0 &&
    html`<p class="launch-others">Not launchable from here (open the repository there yourself): ${others.map((other, index) => html`${index > 0 && ', '}<a href="${base}facilities/${other.id}/">${other.name}</a>`)}</p>`;
  return html`<section class="launch panel" aria-labelledby="${panelId}-heading" data-launch-panel data-workflow="${workflow.id}" data-cart-href="${cart}"><h2 id="${panelId}-heading">Launch</h2>${body}${elsewhere}<p class="launch-data" data-cart-hint hidden>Your <a href="${cart}">cart</a> holds data sets: launch from the cart to take them along.</p><script type="application/json" data-launch-data>${trusted(scriptJson(data))}</script></section>`.value;
}
