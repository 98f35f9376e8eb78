/**
 * localStorage, defensively: private windows and full quotas throw, other tabs write concurrently, and
 * stored values are user-controlled, so every read is parsed and checked by the caller.
 */
import { CART_STORAGE_KEY, FACILITY_STORAGE_KEY, INTERFACE_STORAGE_KEY } from '../../lib/launch/storage-keys.js';

export function readItem(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Returns false when the browser refused to store (the caller tells the user). */
export function writeItem(key: string, value: string): boolean {
  try {
    window.localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

export type Remembered = { facility: string | null; interfaces: Record<string, string> };

export function remembered(): Remembered {
  let interfaces: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(readItem(INTERFACE_STORAGE_KEY) ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      interfaces = Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    }
  } catch {
    // A corrupt preference is simply forgotten.
  }
  return { facility: readItem(FACILITY_STORAGE_KEY), interfaces };
}

export function remember(facility: string, ui: string): void {
  const { interfaces } = remembered();
  writeItem(FACILITY_STORAGE_KEY, facility);
  writeItem(INTERFACE_STORAGE_KEY, JSON.stringify({ ...interfaces, [facility]: ui }));
}

/**
 * How many data sets the stored cart holds, without loading the contract (workflow pages stay light);
 * 0 for a missing or unreadable cart.
 */
export function storedDatasetCount(): number {
  try {
    const datasets = (JSON.parse(readItem(CART_STORAGE_KEY) ?? '{}') as { datasets?: unknown }).datasets;
    return Array.isArray(datasets) ? datasets.length : 0;
  } catch {
    return 0;
  }
}

/** Calls back when another tab changes the cart. */
export function onCartChange(callback: () => void): void {
  window.addEventListener('storage', (event) => {
    if (event.key === CART_STORAGE_KEY || event.key === null) callback();
  });
}
