/**
 * The staging cell in Python: standard library only (TAP through pyvo when it is importable). All values
 * are Python string literals from `pythonString`; titles appear only in one-line comments.
 */
import { commentText, pythonString as py } from './literals.js';
import type { Staging, Step } from './steps.js';

function call(step: Step): string {
  switch (step.kind) {
    case 'download':
      return `(download, ${py(step.url)}, ${py(step.name)})`;
    case 'tap': {
      const client = step.service === null || step.query === null ? '' : `, ${py(step.service)}, ${py(step.query)}, ${step.maxrec ?? 'None'}`;
      return `(tap, ${py(step.url)}, ${py(step.name)}${client})`;
    }
    case 'zenodo':
      return `(zenodo, ${py(step.api)}, ${py(step.url)})`;
    case 'link':
      return `(link, ${py(step.url)}, ${py(step.doi)})`;
    case 'rucio':
      return `(rucio, ${py(step.did)})`;
  }
}

export function pythonSource({ into, steps }: Staging): string {
  const list = steps.flatMap((step, index) => [`        # ${index + 1}. ${step.title}`, `        ${call(step)},`]);
  return [
    `# Data staging by ida-catalog: fetches the data sets you chose into ~/${commentText(into)}`,
    '# (Python standard library; TAP queries through pyvo when it is installed). Running it again fetches again.',
    'def _ida_staging():',
    '    import json, pathlib, re, subprocess, urllib.request',
    '',
    `    into = pathlib.Path.home() / ${py(into)}`,
    '    into.mkdir(parents=True, exist_ok=True)',
    '',
    '    def saved(path):',
    "        print(f'  {path}: {path.stat().st_size:,} bytes')",
    '',
    '    def download(url, name):',
    '        urllib.request.urlretrieve(url, into / name)',
    '        saved(into / name)',
    '',
    '    def tap(url, name, service=None, query=None, maxrec=None):',
    '        try:',
    '            import pyvo',
    '        except ImportError:',
    '            pyvo = None',
    '        if pyvo is None or service is None:',
    '            return download(url, name)',
    '        pyvo.dal.TAPService(service).run_sync(query, maxrec=maxrec).votable.to_xml(str(into / name))',
    '        saved(into / name)',
    '',
    '    def zenodo(api, page):',
    "        request = urllib.request.Request(api, headers={'Accept': 'application/json'})",
    '        with urllib.request.urlopen(request) as response:',
    "            files = json.load(response).get('files') or []",
    '        if not files:',
    "            print(f'  no open files: see {page}')",
    '        for number, file in enumerate(files, 1):',
    '            # The file\'s content: `links.content` in the InvenioRDM serialisation, `links.self` in Zenodo\'s legacy one.',
    "            links = file.get('links') or {}",
    "            url = links.get('content') or links.get('self') or ''",
    "            if not url.startswith('https://zenodo.org/'):",
    "                raise ValueError(f'unexpected file link {url!r}')",
    "            name = re.sub(r'[^A-Za-z0-9._+-]', '_', str(file.get('key') or '')).lstrip('.-')[:120]",
    "            download(url, name or f'zenodo-file-{number}')",
    '',
    '    def link(url, doi):',
    "        print(f'  DOI {doi} is not downloaded automatically: open {url} and save the files you need in {into}')",
    '',
    '    def rucio(did):',
    '        try:',
    "            done = subprocess.run(['rucio', 'download', '--dir', str(into), '--no-subdir', did])",
    '        except FileNotFoundError:',
    "            raise RuntimeError('the rucio client is not installed in this environment') from None",
    '        if done.returncode != 0:',
    "            raise RuntimeError(f'rucio download exited with status {done.returncode}')",
    '',
    '    steps = [',
    ...list,
    '    ]',
    '    failed = 0',
    '    for number, (fetch, *args) in enumerate(steps, 1):',
    "        print(f'{number}/{len(steps)}: {args[0]}')",
    '        try:',
    '            fetch(*args)',
    '        except Exception as error:',
    '            failed += 1',
    "            print(f'  failed: {error}')",
    '    if failed:',
    "        raise RuntimeError(f'{failed} of {len(steps)} data sets could not be fetched (see above)')",
    '',
    '_ida_staging()',
  ].join('\n');
}
