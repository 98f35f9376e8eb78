/**
 * The cart page in the browser. Everything shown comes from localStorage, the URL or an imported file,
 * so it is untrusted: text goes in through textContent, links only through safeHref, nothing through
 * innerHTML. Every change is validated by the contract before it is stored.
 */
import type { Cart, Facility, FacilityStatus } from '../../../catalog/contract/index.js';
import { addDataset, CART_FILE_NAME, emptyCart, mergeCarts, parseCart, removeDataset, removeWorkflow, serialiseCart } from '../../lib/launch/cart.js';
import { facilityNotice, facilityOptionLabel, initialChoice, launchChoices, type FacilityChoice, type InterfaceChoice } from '../../lib/launch/choices.js';
import { DATASET_KIND_LABELS, classifyDataset, refusedDataset, type PrivateDataHost } from '../../lib/launch/datasets.js';
import { cloneFolder } from '../../lib/launch/links.js';
import { safeHref } from '../../lib/launch/safe-url.js';
import { dataInstructions, stagingUrl } from '../../lib/launch/staging.js';
import { onCartChange, remember, remembered } from '../launch/storage.js';
import { loadCart, saveCart } from './store.js';

type Child = Node | string | null | false;

/** A DOM element with text children only as text nodes. */
function h(tag: string, props: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) element.setAttribute(key, value);
  for (const child of children) if (child) element.append(child);
  return element;
}

function link(href: string, text: string): Node {
  const safe = safeHref(href);
  return safe ? h('a', { href: safe, rel: 'nofollow noopener noreferrer' }, text) : document.createTextNode(text);
}

const root = document.querySelector<HTMLElement>('[data-cart-page]');
if (root) start(root);

function start(root: HTMLElement): void {
  const $ = <T extends HTMLElement>(selector: string) => root.querySelector<T>(selector)!;
  const base = root.dataset.base ?? '/';
  const facilities = JSON.parse($('[data-cart-facilities]').textContent ?? '[]') as Facility[];
  // The build's facility-status.json (kernels, down): ranks facilities and warns like the Launch panel.
  const statusList = JSON.parse(root.querySelector('[data-cart-statuses]')?.textContent ?? '[]') as Array<Pick<FacilityStatus, 'id' | 'state' | 'kernels'>>;
  const statuses = new Map(statusList.map((status) => [status.id, status]));
  // The build's IDA_PRIVATE_DATA_HOSTS (site/pages/cart/index.astro): private hosts this deployment accepts.
  const privateHosts = JSON.parse(root.dataset.privateDataHosts ?? '[]') as PrivateDataHost[];
  const message = $('[data-cart-message]');
  const errorBox = $('[data-cart-error]');

  function say(text: string | null, error = false): void {
    const [shown, other] = error ? [errorBox, message] : [message, errorBox];
    shown.textContent = text ?? '';
    shown.hidden = !text;
    other.hidden = true;
  }

  let { cart, error: storedError } = loadCart();
  if (storedError) say(`Your stored cart could not be read and was not changed: ${storedError} Import a good copy or empty the cart.`, true);

  function commit(next: Cart, note?: string): void {
    const checked = parseCart(serialiseCart(next));
    if (!checked.ok) {
      say(checked.error, true);
      return;
    }
    if (!saveCart(checked.cart)) {
      say('Your browser refused to store the cart (private window or storage full); changes will be lost on reload.', true);
    } else if (note) say(note);
    cart = checked.cart;
    storedError = null;
    render();
  }

  $('[data-cart-add-form]').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const result = classifyDataset(data.get('url'), data.get('title'), privateHosts);
    if (!result.ok) {
      say(`Not added: ${result.error}`, true);
      return;
    }
    commit(addDataset(cart, result.dataset), `Added “${result.dataset.title}” (${DATASET_KIND_LABELS[result.dataset.kind]}).`);
    form.reset();
  });

  $('[data-cart-export]').addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([serialiseCart(cart)], { type: 'application/json' }));
    const anchor = h('a', { href: url, download: CART_FILE_NAME }) as HTMLAnchorElement;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });

  const importInput = $<HTMLInputElement>('[data-cart-import]');
  importInput.addEventListener('change', async () => {
    const file = importInput.files?.[0];
    importInput.value = '';
    if (!file) return;
    if (file.size > 2_000_000) {
      say(`Not imported: ${file.name} is larger than 2 MB, which no cart is.`, true);
      return;
    }
    const parsed = parseCart(await file.text());
    if (!parsed.ok) {
      say(`Not imported: ${parsed.error}`, true);
      return;
    }
    const refused = refusedDataset(parsed.cart.datasets, privateHosts);
    if (refused) {
      say(`Not imported: ${refused}`, true);
      return;
    }
    const merged = mergeCarts(storedError ? emptyCart() : cart, parsed.cart);
    if (!merged.ok) say(`Not imported: ${merged.error}`, true);
    else commit(merged.cart, `Imported ${parsed.cart.workflows.length} workflow(s) and ${parsed.cart.datasets.length} data set(s) from ${file.name}.`);
  });

  $('[data-cart-clear]').addEventListener('click', () => {
    if (window.confirm('Remove every workflow and data set from the cart?')) commit(emptyCart(), 'The cart is empty.');
  });

  const checkout = {
    workflow: $<HTMLSelectElement>('[data-checkout-workflow]'),
    facility: $<HTMLSelectElement>('[data-checkout-facility]'),
    ui: $<HTMLSelectElement>('[data-checkout-interface]'),
    access: $('[data-checkout-access]'),
    staging: $('[data-checkout-staging]'),
    go: $<HTMLAnchorElement>('[data-checkout-go]'),
    instructions: $('[data-checkout-instructions]'),
    commands: $('[data-checkout-commands]'),
  };
  let choice: { workflow: string | null; facility: string | null; ui: string | null } = { workflow: null, facility: null, ui: null };

  function options(select: HTMLSelectElement, items: Array<[string, string]>, value: string): void {
    select.replaceChildren(...items.map(([key, label]) => h('option', { value: key }, label)));
    select.value = value;
  }

  function renderCheckout(): void {
    const workflow = cart.workflows.find((item) => item.id === choice.workflow) ?? cart.workflows.at(-1);
    $('[data-checkout-form]').hidden = !workflow;
    $('[data-checkout-empty]').hidden = Boolean(workflow);
    if (!workflow) return;
    options(checkout.workflow, cart.workflows.map((item) => [item.id, item.title]), workflow.id);
    const { launchable } = launchChoices(workflow, facilities, statuses);
    const start = initialChoice(launchable, { facility: choice.facility ?? remembered().facility, interfaces: remembered().interfaces });
    if (!start) {
      checkout.go.hidden = true;
      checkout.access.replaceChildren(h('p', {}, 'No facility in this catalog can open this workflow directly.'));
      return;
    }
    const facility: FacilityChoice = start.facility;
    const ui: InterfaceChoice = facility.interfaces.find((item) => item.ui === choice.ui) ?? start.ui;
    choice = { workflow: workflow.id, facility: facility.id, ui: ui.ui };
    options(checkout.facility, launchable.map((item) => [item.id, facilityOptionLabel(item)]), facility.id);
    options(checkout.ui, facility.interfaces.map((item) => [item.ui, item.label]), ui.ui);
    const notice = facilityNotice(facility);
    checkout.access.replaceChildren(
      h('p', { class: 'launch-note' }, notice.caveat ?? ''),
      h('p', {}, h('strong', {}, notice.label), ` ${notice.rules}`, notice.help ? ' ' : null, notice.help ? link(notice.help, 'How to get access') : null),
    );
    (checkout.access.firstElementChild as HTMLElement).hidden = !notice.caveat;
    const datasets = cart.datasets;
    const staged = facility.staging && datasets.length > 0
      ? stagingUrl({ staging: facility.staging, facilityId: facility.id, workflowId: workflow.id, launch: ui.href, folder: cloneFolder(workflow.repository), datasets })
      : null;
    const href = safeHref(staged ?? ui.href);
    checkout.go.hidden = !href;
    if (href) checkout.go.href = href;
    const count = datasets.length;
    // Its caveat already says it did not answer when last checked; the button says it too.
    const anyway = statuses.get(facility.id)?.state === 'down' ? ' anyway' : '';
    checkout.go.textContent = staged
      ? `Launch on ${facility.name}${anyway} with ${count} data set${count === 1 ? '' : 's'}`
      : `Launch on ${facility.name}${anyway} (${ui.label})`;
    checkout.staging.hidden = !staged;
    checkout.staging.textContent = staged ? `Through ${facility.name}’s staging service, which fetches the data into ${cloneFolder(workflow.repository)}/data before opening the notebook.` : '';
    checkout.instructions.hidden = staged !== null || count === 0;
    checkout.commands.textContent = count > 0 ? dataInstructions(datasets, cloneFolder(workflow.repository)) : '';
    if (facility.staging && count > 0 && !staged) {
      checkout.staging.hidden = false;
      checkout.staging.textContent = 'Too many data sets for one staging link: launch, then fetch them with the commands below.';
    }
  }

  checkout.workflow.addEventListener('change', () => {
    choice = { ...choice, workflow: checkout.workflow.value, ui: null };
    renderCheckout();
  });
  checkout.facility.addEventListener('change', () => {
    choice = { ...choice, facility: checkout.facility.value, ui: remembered().interfaces[checkout.facility.value] ?? null };
    remember(checkout.facility.value, choice.ui ?? '');
    renderCheckout();
  });
  checkout.ui.addEventListener('change', () => {
    choice = { ...choice, ui: checkout.ui.value };
    if (choice.facility) remember(choice.facility, checkout.ui.value);
    renderCheckout();
  });
  checkout.go.addEventListener('click', () => {
    if (choice.facility && choice.ui) remember(choice.facility, choice.ui);
  });
  $('[data-checkout-copy]').addEventListener('click', async () => {
    const status = $('[data-checkout-copied]');
    try {
      await navigator.clipboard.writeText(checkout.commands.textContent ?? '');
      status.textContent = 'Copied.';
    } catch {
      status.textContent = 'Copying was refused by the browser; select the text and copy it.';
    }
  });

  function render(): void {
    const workflows = $('[data-cart-workflows]');
    workflows.replaceChildren(
      ...cart.workflows.map((workflow) =>
        h(
          'li',
          {},
          h('span', {}, h('a', { href: `${base}workflows/${encodeURIComponent(workflow.id)}/` }, workflow.title), h('small', {}, `${workflow.repository.url.replace(/^https?:\/\//, '')} · ${workflow.path}`)),
          removeButton(`Remove ${workflow.title}`, () => commit(removeWorkflow(cart, workflow.id))),
        ),
      ),
    );
    $('[data-cart-workflows-empty]').hidden = cart.workflows.length > 0;
    const datasets = $('[data-cart-datasets]');
    datasets.replaceChildren(
      ...cart.datasets.map((dataset) =>
        h(
          'li',
          { 'data-kind': dataset.kind },
          h('span', {}, h('span', { class: 'kind' }, DATASET_KIND_LABELS[dataset.kind]), link(dataset.url, dataset.title), h('small', {}, dataset.kind === 'rucio' ? `${dataset.id ?? ''} on ${new URL(dataset.url).host}` : dataset.url)),
          removeButton(`Remove ${dataset.title}`, () => commit(removeDataset(cart, dataset.url))),
        ),
      ),
    );
    $('[data-cart-datasets-empty]').hidden = cart.datasets.length > 0;
    renderCheckout();
  }

  function removeButton(label: string, action: () => void): HTMLElement {
    const button = h('button', { type: 'button', class: 'button secondary', 'aria-label': label }, 'Remove');
    button.addEventListener('click', action);
    return button;
  }

  onCartChange(() => {
    const fresh = loadCart();
    if (!fresh.error) {
      cart = fresh.cart;
      render();
    }
  });
  $('[data-cart-ui]').hidden = false;
  render();
  // ?add=<url>&title=… from an archive: add (validated) or say why not, then drop the parameters.
  const params = new URLSearchParams(window.location.search);
  if (params.has('add')) {
    const result = classifyDataset(params.get('add'), params.get('title'), privateHosts);
    if (!result.ok) say(`Not added: ${result.error}`, true);
    else if (storedError) say('Not added: the stored cart could not be read (see above).', true);
    else commit(addDataset(cart, result.dataset), `Added “${result.dataset.title}” (${DATASET_KIND_LABELS[result.dataset.kind]}) to your cart.`);
    params.delete('add');
    params.delete('title');
    const rest = params.toString();
    history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}`);
  }
}
