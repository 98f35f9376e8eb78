// Workflow thumbnails (workflows/<id>/thumbnail.<ext>, so a search card needs only the workflow id) are copies
// of catalog media. Rendered as Astro routes they cost a full page render each (≈2 s for 3,000 of them), so in
// a build the routes list none (site/lib/media-route.ts) and this integration copies the files once the pages
// are written, from the list the catalog gives (site/lib/load.ts, workflowThumbnails). The dev server serves
// them from the routes.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { tsImport } from 'tsx/esm/api';

/** @returns {import('astro').AstroIntegration} */
export function workflowThumbnails() {
  return {
    name: 'ida:workflow-thumbnails',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        /** @type {typeof import('../lib/load.ts')} */
        const { workflowThumbnails: thumbnails } = await tsImport('../lib/load.ts', import.meta.url);
        const out = fileURLToPath(dir);
        // Several copies in flight: one at a time, each waits out a file-system round trip (≈1 s for 3,000).
        const limit = pLimit(16);
        await Promise.all(
          (await thumbnails()).map(({ id, ext, file }) =>
            limit(async () => {
              // Ids are contract slugs (workflowThumbnails checks them): the target stays in the output folder.
              const target = path.join(out, 'workflows', id, `thumbnail.${ext}`);
              await mkdir(path.dirname(target), { recursive: true });
              await copyFile(file, target);
            }),
          ),
        );
      },
    },
  };
}
