import { describe, expect, it } from 'vitest';
import { Cart } from '../../catalog/contract/index.js';
import { addDataset, addWorkflow, cartWorkflow, emptyCart, mergeCarts, parseCart, removeDataset, removeWorkflow, serialiseCart } from '../../site/lib/launch/index.js';
import { workflow } from './fixtures.js';

const data = { url: 'https://e.org/a.fits', kind: 'url' as const, title: 'A' };

describe('cart', () => {
  it('round-trips through JSON and the contract', () => {
    let cart = addWorkflow(emptyCart(), cartWorkflow(workflow()));
    cart = addDataset(cart, data);
    const parsed = parseCart(serialiseCart(cart));
    expect(parsed).toEqual({ ok: true, cart });
    expect(Cart.safeParse(cart).success).toBe(true);
  });
  it('keeps only what launching needs of a workflow', () => {
    expect(Object.keys(cartWorkflow(workflow())).sort()).toEqual(['format', 'id', 'language', 'path', 'repository', 'title']);
  });
  it('keeps the format of a text notebook (its Launch needs Jupytext), and still loads carts saved without one', () => {
    const myst = cartWorkflow(workflow({ format: 'myst' }));
    expect(myst.format).toBe('myst');
    const { format: _absent, ...old } = cartWorkflow(workflow());
    const saved = JSON.stringify({ ...emptyCart(), workflows: [old] });
    expect(parseCart(saved)).toEqual({ ok: true, cart: { ...emptyCart(), workflows: [old] } });
  });
  it('adds without duplicates and removes', () => {
    let cart = addDataset(addDataset(emptyCart(), data), { ...data, title: 'renamed' });
    expect(cart.datasets).toEqual([{ ...data, title: 'renamed' }]);
    cart = addWorkflow(addWorkflow(cart, cartWorkflow(workflow())), cartWorkflow(workflow()));
    expect(cart.workflows).toHaveLength(1);
    expect(removeWorkflow(removeDataset(cart, data.url), workflow().id)).toEqual(emptyCart());
  });
  it('empty storage is an empty cart; bad JSON or a foreign shape is refused with a reason', () => {
    expect(parseCart(null)).toEqual({ ok: true, cart: emptyCart() });
    expect(parseCart('{')).toMatchObject({ ok: false, error: expect.stringMatching(/not JSON/) });
    expect(parseCart('{"kind":"cart"}')).toMatchObject({ ok: false, error: expect.stringMatching(/not an ida-catalog cart/) });
    const hostile = { ...emptyCart(), datasets: [{ url: 'javascript:alert(1)', kind: 'url', title: 'x' }] };
    expect(parseCart(JSON.stringify(hostile))).toMatchObject({ ok: false, error: expect.stringMatching(/datasets\.0\.url/) });
    const extra = { ...emptyCart(), workflows: [{ ...cartWorkflow(workflow()), description: 'smuggled' }] };
    expect(parseCart(JSON.stringify(extra)).ok).toBe(false);
  });
  it('import merges: existing items stay, new ones are appended, duplicates dropped', () => {
    const current = addDataset(emptyCart(), data);
    const incoming = addDataset(addDataset(emptyCart(), { ...data, title: 'other title' }), { ...data, url: 'https://e.org/b' });
    const merged = mergeCarts(current, incoming);
    expect(merged.ok && merged.cart.datasets.map((item) => item.title)).toEqual(['A', 'A']);
    expect(merged.ok && merged.cart.datasets.map((item) => item.url)).toEqual(['https://e.org/a.fits', 'https://e.org/b']);
  });
  it('import beyond the size limit is refused, not truncated silently', () => {
    const big = { ...emptyCart(), datasets: Array.from({ length: 300 }, (_, index) => ({ ...data, url: `https://e.org/${index}` })) };
    const other = { ...emptyCart(), datasets: Array.from({ length: 300 }, (_, index) => ({ ...data, url: `https://f.org/${index}` })) };
    expect(mergeCarts(big, other)).toMatchObject({ ok: false, error: expect.stringMatching(/too large/) });
  });
});
