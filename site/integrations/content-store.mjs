// Astro bundles the content layer's data store (cacheDir/data-store.json) into the prerender bundle as one
// JavaScript module (`astro:data-layer-content`). For a 10,000-workflow catalog that is a ~14 MB module,
// and Rollup's parse/transform/render of it dominated "Building static entrypoints" (time, and peak memory:
// the build ran out of heap there with --max-old-space-size=1024). This integration keeps the content
// layer as the source (loaders and zod schemas unchanged, pages still call getCollection) but makes the
// store module read the same JSON file when the prerender bundle runs, on the machine that just wrote it.
// A static build only: the store file never ships, so nothing here reaches dist/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RESOLVED_STORE_ID = '\0astro:data-layer-content';

/** @returns {import('astro').AstroIntegration} */
export function contentStoreAtRuntime() {
  return {
    name: 'ida:content-store-at-runtime',
    hooks: {
      'astro:config:setup': ({ config, command, updateConfig }) => {
        if (command !== 'build') return;
        // Astro writes the build's store to <cacheDir>/data-store.json (content/content-layer.js getDataStoreFile).
        const storeFile = path.join(fileURLToPath(config.cacheDir), 'data-store.json');
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'ida:content-store-at-runtime',
                // Astro's own plugin (registered first) would answer load() by turning the whole store into a
                // module (seconds of work for 10,000 workflows); a hook ordered 'pre' answers before it.
                load: {
                  order: 'pre',
                  handler(id) {
                    if (id !== RESOLVED_STORE_ID) return null;
                    return [
                      "import { existsSync, readFileSync } from 'node:fs';",
                      `const file = ${JSON.stringify(storeFile)};`,
                      // Same shape Astro's own module exports: the devalue-flattened store, or an empty Map.
                      'export default existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : new Map();',
                    ].join('\n');
                  },
                },
              },
            ],
          },
        });
      },
    },
  };
}
