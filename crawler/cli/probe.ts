/** `ida-catalog probe`: checks every facility in facilities.yaml and writes catalog/facility-status.json. */
import { runProbe } from '../probe/run.js';
import { DEFAULT_PROBE_LIMITS } from '../probe/http.js';
import { parseCommandArgs, type Command } from './args.js';

const HELP = `usage: ida-catalog probe [--facilities PATH] [--out DIR] [--timeout MS]

Checks every facility in the facilities file: a JupyterHub's GET {url}/hub/api (its version), a
BinderHub's GET {url}/versions and {url}/health, a staging service's GET {staging}/info (kernels), and
the page of any other facility. Records up / degraded / down, version, latency, kernels and the check
time in DIR/facility-status.json, sorted by id. A version or kernels a check could not read are kept
from the previous file (lastUpAt says when the facility was last up).

Short timeouts, at most ${DEFAULT_PROBE_LIMITS.maxRedirects} redirects and only on the facility's own host, answers capped at
${DEFAULT_PROBE_LIMITS.maxBytes / 1024} KiB, four facilities at a time. Loopback, private and link-local addresses (by name or by
what the name resolves to) are asked only for facilities listed with privateNetwork: true.

options:
  --facilities PATH   facilities file (default facilities.yaml)
  --out DIR           catalog folder (default catalog)
  --timeout MS        per request (default ${DEFAULT_PROBE_LIMITS.timeoutMs})

When no facility answers at all (more likely this machine's network than every facility at once),
nothing is written and the exit status is 1.

Exit status: 0 written (whatever the facilities' states), 1 nothing answered, 2 bad options or
facilities file.`;

export const probeCommand: Command = {
  summary: 'check the facilities and write catalog/facility-status.json',
  async run(args) {
    const values = parseCommandArgs(
      'probe',
      args,
      { facilities: { type: 'string', default: 'facilities.yaml' }, out: { type: 'string', default: 'catalog' }, timeout: { type: 'string' } },
      HELP,
    );
    if (typeof values === 'number') return values;
    const timeoutMs = values.timeout === undefined ? DEFAULT_PROBE_LIMITS.timeoutMs : Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) {
      console.error(`ida-catalog probe: --timeout must be a whole number of ms from 100 to 60000, got "${values.timeout}"`);
      return 2;
    }
    const result = await runProbe({ facilities: values.facilities!, out: values.out!, limits: { ...DEFAULT_PROBE_LIMITS, timeoutMs } });
    return result.exitCode;
  },
};
