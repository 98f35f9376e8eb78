/**
 * localStorage, defensively: private windows and full quotas throw, other tabs write concurrently, and
 * stored values are user-controlled, so every read is parsed and checked by the caller.
 */
import { Cart } from '../../../catalog/contract/index.js';
import { CART_STORAGE_KEY, FACILITY_STORAGE_KEY, INTERFACE_STORAGE_KEY, emptyCart, parseCart, serialiseCart } from '../../lib/launch/cart.js';

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

/** The stored cart; a corrupt one is reported (and kept in storage untouched until the user acts). */
export function loadCart(): { cart: Cart; error: string | null } {
  const result = parseCart(readItem(CART_STORAGE_KEY));
  return result.ok ? { cart: result.cart, error: null } : { cart: emptyCart(), error: result.error };
}

export function saveCart(cart: Cart): boolean {
  return writeItem(CART_STORAGE_KEY, serialiseCart(cart));
}

/** Calls back when another tab changes the cart. */
export function onCartChange(callback: () => void): void {
  window.addEventListener('storage', (event) => {
    if (event.key === CART_STORAGE_KEY || event.key === null) callback();
  });
}
