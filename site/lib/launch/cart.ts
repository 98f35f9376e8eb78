/**
 * The cart's state, as pure functions over the contract's `Cart`: the cart page and the workflow pages'
 * "Add to cart" button share them; localStorage and the DOM stay in site/scripts/cart/.
 */
import { Cart, Dataset, SCHEMA_VERSION, type CartWorkflow } from '../../../catalog/contract/index.js';
import type { Workflow } from '../../../catalog/contract/index.js';

export { CART_STORAGE_KEY, FACILITY_STORAGE_KEY, INTERFACE_STORAGE_KEY } from './storage-keys.js';
export const CART_FILE_NAME = 'ida-cart.json';

export function emptyCart(): Cart {
  return { schemaVersion: SCHEMA_VERSION, kind: 'cart', workflows: [], datasets: [] };
}

export type CartResult = { ok: true; cart: Cart } | { ok: false; error: string };

/** Reads a cart from JSON text (storage or an imported file), checked against the contract. */
export function parseCart(text: string | null | undefined): CartResult {
  if (text === null || text === undefined || text.trim() === '') return { ok: true, cart: emptyCart() };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `This is not JSON (${(error as Error).message}); export a cart from /cart/ to see the format.` };
  }
  const parsed = Cart.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, error: `This is not an ida-catalog cart${where}: ${issue.message}` };
  }
  return { ok: true, cart: dedupe(parsed.data) };
}

export function serialiseCart(cart: Cart): string {
  return `${JSON.stringify(cart, null, 2)}\n`;
}

function dedupe(cart: Cart): Cart {
  const workflows = new Map(cart.workflows.map((workflow) => [workflow.id, workflow]));
  const datasets = new Map(cart.datasets.map((dataset) => [dataset.url, dataset]));
  return { ...cart, workflows: [...workflows.values()], datasets: [...datasets.values()] };
}

/**
 * The slice of a workflow the cart keeps. CartWorkflow is the contract's Workflow schema picked, so the fields of
 * a workflow (checked against that schema by the content layer) are one as they are: not parsed again for
 * every page.
 */
export function cartWorkflow({ id, title, repository, path, language, format }: Pick<Workflow, 'id' | 'title' | 'repository' | 'path' | 'language' | 'format'>): CartWorkflow {
  return { id, title, repository, path, language, format };
}

export function addWorkflow(cart: Cart, workflow: CartWorkflow): Cart {
  const others = cart.workflows.filter((item) => item.id !== workflow.id);
  return { ...cart, workflows: [...others, workflow] };
}

export function removeWorkflow(cart: Cart, id: string): Cart {
  return { ...cart, workflows: cart.workflows.filter((item) => item.id !== id) };
}

/** Adds a dataset; one already in the cart (same URL) keeps its place and takes the new title. */
export function addDataset(cart: Cart, dataset: Dataset): Cart {
  const index = cart.datasets.findIndex((item) => item.url === dataset.url);
  if (index === -1) return { ...cart, datasets: [...cart.datasets, dataset] };
  const datasets = cart.datasets.slice();
  datasets[index] = dataset;
  return { ...cart, datasets };
}

export function removeDataset(cart: Cart, url: string): Cart {
  return { ...cart, datasets: cart.datasets.filter((item) => item.url !== url) };
}

/** Import: what is already in the cart stays; new items are appended (the cart's limits still hold). */
export function mergeCarts(current: Cart, incoming: Cart): CartResult {
  let merged = current;
  for (const workflow of incoming.workflows) if (!merged.workflows.some((item) => item.id === workflow.id)) merged = addWorkflow(merged, workflow);
  for (const dataset of incoming.datasets) if (!merged.datasets.some((item) => item.url === dataset.url)) merged = addDataset(merged, dataset);
  const checked = Cart.safeParse(merged);
  return checked.success ? { ok: true, cart: checked.data } : { ok: false, error: `The cart would be too large: ${checked.error.issues[0]!.message}` };
}
