/**
 * Worker-thread entry (bundled by site/lib/build/render-workers.mjs): renders workflow page bodies for
 * the build's main thread, in the order asked, one reply per workflow.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readPreview } from '../load.js';
import type { BodyJob, BodyReply, BodyRequest, BodyWorkerData } from './body-pool.js';
import { workflowBodyHtml } from './workflow-body.js';

const port = parentPort;
if (!port) throw new Error('body-worker runs only as a worker thread');
const { facilities } = workerData as BodyWorkerData;

async function render({ workflow, repository }: BodyJob, base: string): Promise<BodyReply> {
  try {
    const preview = readPreview(workflow.id);
    return { id: workflow.id, html: await workflowBodyHtml({ workflow, repository, facilities, preview, base }) };
  } catch (error) {
    return { id: workflow.id, error: error instanceof Error ? error.message : String(error) };
  }
}

let queue = Promise.resolve();
port.on('message', ({ jobs, base }: BodyRequest) => {
  queue = queue.then(async () => {
    for (const job of jobs) port.postMessage(await render(job, base));
  });
});
