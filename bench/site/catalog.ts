/** The benchmark's generated catalog: N workflows varied from the corpus-modelled fixture records. */
import type { NotebookPreview, Workflow } from '../../catalog/contract/index.js';
import { PNG_MEDIA, basicPreviews, basicWorkflows } from '../../test/fixtures/site/catalogs.js';

// Vocabulary drawn from the real corpus: astropy tutorials, binder examples, ESAP VO notebooks.
const TOPICS = ['coordinates', 'FITS images', 'FITS tables', 'spectroscopy', 'photometry', 'galactic orbits', 'redshift', 'units', 'quantities', 'modeling', 'cross-matching', 'cone search', 'VO data discovery', 'spectral cubes', 'WCS', 'synthetic images', 'color excess', 'position-velocity diagrams', 'wavelength calibration', 'light curves'];
const KEYWORDS = ['astronomy', 'astropy', 'coordinates', 'fits', 'gaia', 'vo', 'spectroscopy', 'photometry', 'tables', 'images', 'binder', 'julia', 'r', 'radio', 'cosmology', 'particle-physics', 'hep', 'lofar', 'ska', 'cta', 'escape', 'tutorial', 'machine-learning', 'timeseries'];
const IMPORTS = ['astropy', 'astroquery', 'matplotlib', 'numpy', 'scipy', 'pyvo', 'spectral_cube', 'reproject', 'gala', 'synphot', 'dust_extinction', 'seaborn', 'pandas', 'healpy', 'uproot', 'awkward', 'iminuit', 'casatools', 'regions', 'photutils'];
const OWNERS = ['astropy', 'ESAP-WP5', 'binder-examples', 'escape2020', 'cta-observatory', 'lofar-astron', 'ska-telescope', 'hep-tutorials', 'gammapy', 'sunpy', 'zooniverse', 'radio-astro'];

function pick<T>(list: readonly T[], seed: number, count: number): T[] {
  const out = new Set<T>();
  for (let step = 0; out.size < Math.min(count, list.length); step += 1) out.add(list[(seed * 7919 + step * 104729) % list.length]!);
  return [...out];
}

/**
 * `count` workflows varied from the fixture records. Each gets a notebook preview: one of `realPreviews`
 * in turn (real notebooks as the crawler extracted them, with their size and mix of code, markdown and
 * outputs) under a title cell of its own, or, without them, the small fixture preview with one word varied.
 */
export function variedCatalog(count: number, realPreviews: readonly NotebookPreview[] = []): { workflows: Workflow[]; previews: NotebookPreview[] } {
  const workflows: Workflow[] = [];
  const previews: NotebookPreview[] = [];
  const template = basicPreviews[0]!;
  for (let i = 0; i < count; i += 1) {
    const seed = basicWorkflows[i % basicWorkflows.length]!;
    // Twelve notebooks to a repository, as in the corpus's tutorial repositories (astropy-tutorials holds more).
    const owner = OWNERS[Math.floor(i / 12) % OWNERS.length]!;
    const repo = `${owner.toLowerCase()}-notebooks-${Math.floor(i / 12)}`;
    const topic = TOPICS[(i * 31) % TOPICS.length]!;
    const id = `${owner.toLowerCase()}-${repo}-nb-${i}`;
    const day = new Date(Date.UTC(2016, 0, 1) + ((i * 2654435761) % (9 * 365)) * 86_400_000).toISOString().replace('.000', '');
    workflows.push({
      ...seed,
      id,
      title: `${seed.title.split(':')[0]}: ${topic} ${i % 97 === 0 ? 'with astropy.coordinates' : `part ${(i % 9) + 1}`}`,
      description: `${seed.description} Worked example on ${topic.toLowerCase()} for ${pick(KEYWORDS, i, 2).join(' and ')} users.`,
      keywords: pick(KEYWORDS, i, 2 + (i % 4)).sort(),
      imports: pick(IMPORTS, i + 3, 2 + (i % 6)).sort(),
      repository: { ...seed.repository, url: `https://github.com/${owner}/${repo}` },
      path: `notebooks/${topic.replace(/\W+/g, '-')}/${i}.ipynb`,
      thumbnail: i % 3 === 0 ? PNG_MEDIA : null,
      updatedAt: day,
    });
    const real = realPreviews[i % Math.max(1, realPreviews.length)];
    previews.push(
      real
        ? // A title cell of its own makes every copy a distinct notebook, as in a real catalog: the build's
          // preview cache must not turn 10,000 previews into 40.
          { ...real, id, cells: [{ type: 'markdown', source: `# ${workflows[i]!.title}\n\nCopy ${i} of \`${real.id}\`.`, executionCount: null, outputs: [] }, ...real.cells] }
        : { ...template, id, cells: template.cells.map((cell) => ({ ...cell, source: cell.source.replace('np.sin', i % 2 ? 'np.cos' : 'np.sin') })) },
    );
  }
  return { workflows, previews };
}


/** `preview` as upstream changed it overnight: one more markdown cell. */
export function changedPreview(preview: NotebookPreview, night: number): NotebookPreview {
  return { ...preview, cells: [...preview.cells, { type: 'markdown', source: `## Changed on night ${night}\n\nA new note.`, executionCount: null, outputs: [] }] };
}
