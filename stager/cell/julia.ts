/**
 * The staging cell in Julia: the `Downloads` standard library; DOIs other than plain downloads are given
 * as links (Julia has no JSON reader in its standard library). All values are Julia string literals from
 * `juliaString`; titles appear only in one-line comments.
 */
import { commentText, juliaString as jl } from './literals.js';
import type { Staging, Step } from './steps.js';

function call(step: Step): string {
  switch (step.kind) {
    case 'download':
    case 'tap':
      return `() -> save(${jl(step.url)}, ${jl(step.name)})`;
    case 'zenodo':
    case 'link':
      return `() -> link(${jl(step.url)}, ${jl(step.doi)})`;
    case 'rucio':
      return `() -> rucio(${jl(step.did)})`;
  }
}

export function juliaSource({ into, steps }: Staging): string {
  const list = steps.flatMap((step, index) => [`        # ${index + 1}. ${step.title}`, `        ${call(step)},`]);
  return [
    `# Data staging by ida-catalog: fetches the data sets you chose into ~/${commentText(into)}`,
    '# (Downloads standard library). Running it again fetches again.',
    'import Downloads',
    `let into = joinpath(homedir(), ${jl(into)})`,
    '    mkpath(into)',
    '    function save(url, name)',
    '        path = joinpath(into, name)',
    '        Downloads.download(url, path)',
    '        println("  ", path, ": ", filesize(path), " bytes")',
    '    end',
    '    link(url, doi) = println("  DOI ", doi, " is not downloaded automatically: open ", url, " and save the files you need in ", into)',
    '    function rucio(did)',
    '        Sys.which("rucio") === nothing && error("the rucio client is not installed in this environment")',
    '        run(Cmd(["rucio", "download", "--dir", into, "--no-subdir", did]))',
    '    end',
    '',
    '    steps = Function[',
    ...list,
    '    ]',
    '    failed = 0',
    '    for (number, step) in enumerate(steps)',
    '        println(number, "/", length(steps))',
    '        try',
    '            step()',
    '        catch err',
    '            failed += 1',
    '            println("  failed: ", sprint(showerror, err))',
    '        end',
    '    end',
    '    failed > 0 && error(string(failed, " of ", length(steps), " data sets could not be fetched (see above)"))',
    'end',
  ].join('\n');
}
