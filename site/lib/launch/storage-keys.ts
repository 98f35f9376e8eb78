/** localStorage keys of the cart and the launch preferences (kept free of imports so pages load it cheaply). */
export const CART_STORAGE_KEY = 'ida-catalog:cart';
export const FACILITY_STORAGE_KEY = 'ida-catalog:facility';
export const INTERFACE_STORAGE_KEY = 'ida-catalog:interface';
