/** Launch links, compatibility, data sets and staging: pure functions shared by the site's pages and scripts. */
export * from './safe-url.js';
export * from './links.js';
export * from './compatibility.js';
export * from './datasets.js';
export * from './staging.js';
export * from './cart.js';
export * from './access.js';
export * from './choices.js';
export * from './curated.js';
