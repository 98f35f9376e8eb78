/** The cart in localStorage, always read and written through the contract (cart page, "Add to cart"). */
import type { Cart } from '../../../catalog/contract/index.js';
import { CART_STORAGE_KEY, emptyCart, parseCart, serialiseCart } from '../../lib/launch/cart.js';
import { readItem, writeItem } from '../launch/storage.js';

/** The stored cart; a corrupt one is reported (and left in storage untouched until the user acts). */
export function loadCart(): { cart: Cart; error: string | null } {
  const result = parseCart(readItem(CART_STORAGE_KEY));
  return result.ok ? { cart: result.cart, error: null } : { cart: emptyCart(), error: result.error };
}

export function saveCart(cart: Cart): boolean {
  return writeItem(CART_STORAGE_KEY, serialiseCart(cart));
}
