/**
 * Progressive enhancement of the Launch panel: turns the list of direct links into a chooser
 * (facility, interface, one Launch link), remembers the last facility and interface, and adds the
 * workflow to the cart. Text goes in through textContent only; the facilities and their links are the
 * build's own list of direct links (data-facility, data-ui), so the page says each link once.
 */
import type { CartWorkflow, Interface } from '../../../catalog/contract/index.js';
import { initialChoice, type PanelChoice } from '../../lib/launch/choices.js';
import { INTERFACE_LABELS } from '../../lib/launch/compatibility.js';
import { safeHref } from '../../lib/launch/safe-url.js';
import { renderTimesAgo } from '../time-ago.js';
import { onCartChange, remember, remembered, storedDatasetCount } from './storage.js';

/** The cart's entry for the workflow; null on a curated entry's page (desktop tool, container image), which has no cart. */
type PanelData = { workflow: CartWorkflow | null };

for (const root of document.querySelectorAll<HTMLElement>('[data-launch-panel]')) enhance(root);

/** The launchable facilities, in the list's (compatibility) order, each with its links by interface. */
function listedChoices(root: HTMLElement): PanelChoice[] {
  return [...root.querySelectorAll<HTMLElement>('[data-launch-all] [data-facility]')].flatMap((item) => {
    const interfaces = [...item.querySelectorAll<HTMLAnchorElement>('a[data-ui]')].flatMap((link) => {
      const ui = link.dataset.ui as Interface;
      const href = link.getAttribute('href');
      return href && Object.hasOwn(INTERFACE_LABELS, ui) ? [{ ui, label: INTERFACE_LABELS[ui], href }] : [];
    });
    const name = item.querySelector('h3')?.textContent ?? item.dataset.facility!;
    return interfaces.length > 0 ? [{ id: item.dataset.facility!, name, interfaces }] : [];
  });
}

function enhance(root: HTMLElement): void {
  renderTimesAgo(root);
  const data = JSON.parse(root.querySelector('script[data-launch-data]')?.textContent ?? 'null') as PanelData | null;
  const chooser = root.querySelector<HTMLFormElement>('[data-launch-chooser]');
  const choices = listedChoices(root);
  if (!chooser || choices.length === 0) return;
  const facilitySelect = chooser.querySelector<HTMLSelectElement>('[data-launch-facility]')!;
  const interfaceSelect = chooser.querySelector<HTMLSelectElement>('[data-launch-interface]')!;
  const go = chooser.querySelector<HTMLAnchorElement>('[data-launch-go]')!;
  // The access rules are rendered once per facility, in the list of direct links; the chooser shows a copy
  // of the chosen facility's (keeps each page's HTML small: the rules are the same on every workflow page).
  for (const rules of root.querySelectorAll<HTMLElement>('[data-rules-for]')) {
    const block = document.createElement('div');
    block.className = 'launch-access';
    block.dataset.accessFor = rules.dataset.rulesFor;
    block.hidden = true;
    block.append(...[...rules.childNodes].map((node) => node.cloneNode(true)));
    go.before(block);
  }
  // The probe's last word on each facility (data-state on the list): a warning before launching to one that was down.
  const states = new Map([...root.querySelectorAll<HTMLElement>('[data-launch-all] [data-facility]')].map((item) => [item.dataset.facility!, item.dataset.state ?? 'unknown']));
  const downWarning = chooser.querySelector<HTMLElement>('[data-launch-down]');
  const start = initialChoice(choices, remembered())!;
  let facility = start.facility;
  let ui = start.ui;

  function render(): void {
    facilitySelect.value = facility.id;
    interfaceSelect.replaceChildren(
      ...facility.interfaces.map((item) => {
        const option = document.createElement('option');
        option.value = item.ui;
        option.textContent = item.label;
        return option;
      }),
    );
    interfaceSelect.value = ui.ui;
    interfaceSelect.disabled = facility.interfaces.length < 2;
    for (const block of chooser!.querySelectorAll<HTMLElement>('[data-access-for]')) block.hidden = block.dataset.accessFor !== facility.id;
    const href = safeHref(ui.href);
    if (href) go.href = href;
    else go.removeAttribute('href');
    const down = states.get(facility.id) === 'down';
    if (downWarning) {
      downWarning.hidden = !down;
      const when = chooser!.querySelector<HTMLElement>(`[data-access-for="${CSS.escape(facility.id)}"] time`)?.textContent;
      downWarning.textContent = down ? `${facility.name} did not answer when it was last checked${when ? ` (${when})` : ''}: it may be down, and launching may fail.` : '';
    }
    go.textContent = `Launch on ${facility.name}${down ? ' anyway' : ''} (${ui.label})`;
  }

  facilitySelect.addEventListener('change', () => {
    facility = choices.find((choice) => choice.id === facilitySelect.value) ?? facility;
    const wanted = remembered().interfaces[facility.id];
    ui = facility.interfaces.find((item) => item.ui === wanted) ?? facility.interfaces[0]!;
    remember(facility.id, ui.ui);
    render();
  });
  interfaceSelect.addEventListener('change', () => {
    ui = facility.interfaces.find((item) => item.ui === interfaceSelect.value) ?? ui;
    remember(facility.id, ui.ui);
    render();
  });
  go.addEventListener('click', () => remember(facility.id, ui.ui));

  chooser.hidden = false;
  const all = root.querySelector<HTMLDetailsElement>('[data-launch-all]');
  if (all) all.open = false;
  render();
  if (data?.workflow) enableCart(root, chooser, data.workflow);
}

/** "Add to cart" and the hint about data sets in the cart: a notebook's page only. */
function enableCart(root: HTMLElement, chooser: HTMLFormElement, workflow: CartWorkflow): void {
  const status = chooser.querySelector<HTMLElement>('[data-cart-status]')!;
  chooser.querySelector<HTMLButtonElement>('[data-cart-add]')!.addEventListener('click', async () => {
    // The contract (zod) loads only when the cart is used, keeping workflow pages light.
    const [{ loadCart, saveCart }, { addWorkflow }, { CartWorkflow }] = await Promise.all([
      import('../cart/store.js'),
      import('../../lib/launch/cart.js'),
      import('../../../catalog/contract/dataset.js'),
    ]);
    const { cart, error } = loadCart();
    if (error) {
      status.textContent = `Your stored cart could not be read (${error}); open the cart page to repair it.`;
      return;
    }
    const next = addWorkflow(cart, CartWorkflow.parse(workflow));
    const count = next.workflows.length;
    if (!saveCart(next)) {
      status.textContent = 'Your browser refused to store the cart (private window or storage full).';
      return;
    }
    const view = document.createElement('a');
    view.href = root.dataset.cartHref ?? 'cart/';
    view.textContent = 'View cart';
    status.replaceChildren(`In your cart (${count} workflow${count === 1 ? '' : 's'}). `, view);
  });

  const hint = root.querySelector<HTMLElement>('[data-cart-hint]');
  const showHint = () => {
    if (hint) hint.hidden = storedDatasetCount() === 0;
  };
  showHint();
  onCartChange(showHint);
}
