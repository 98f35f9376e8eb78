import { describe, expect, it } from 'vitest';
import type { Image } from '../../catalog/contract/index.js';
import { repositoryKey } from '../../catalog/contract/index.js';
import { facetCounts, imageFacetValues, imageLinks, matchesFilters } from '../../site/lib/images.js';
import { basicWorkflows } from '../fixtures/site/catalogs.js';

const image = (name: string, source: string | null, platforms: string[] = ['linux/amd64']): Image => ({
  id: name.replace(/[^a-z0-9]+/g, '-'),
  name,
  registry: 'docker.io',
  url: `https://hub.docker.com/r/${name}`,
  source: 's',
  description: null,
  fullDescription: null,
  pulls: null,
  stars: null,
  updatedAt: null,
  tags: [{ name: 'latest', digest: null, size: null, platforms, pushedAt: null }],
  tagCount: 1,
  labels: source === null ? null : { tag: 'latest', digest: null, source, description: null, licenses: 'MIT', version: null },
  warnings: [],
});

describe('image links (site/lib/images.ts)', () => {
  it('links an image to the workflows of the repository its source label names, whatever the case, slash or .git', () => {
    expect(repositoryKey('https://GitHub.com/Binder-Examples/requirements.git/')).toBe(repositoryKey('https://github.com/binder-examples/requirements'));
    const links = imageLinks([image('astro/alpha', 'https://github.com/Binder-Examples/Requirements/'), image('library/python', null)], basicWorkflows);
    const linked = links.workflowsOf(links.byId.get('astro-alpha')!);
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.every((workflow) => workflow.repository.url === 'https://github.com/binder-examples/requirements')).toBe(true);
    expect(links.builtFrom('https://github.com/binder-examples/requirements').map((i) => i.name)).toEqual(['astro/alpha']);
    expect(links.workflowsOf(links.byId.get('library-python')!)).toEqual([]);
  });

  it('resolves references the way docker pull does: official images, tags and the docker.io host do not matter', () => {
    const links = imageLinks([image('library/python', null), image('jupyter/scipy-notebook', null)], []);
    expect(links.lookup('python:3.12')?.id).toBe('library-python');
    expect(links.lookup('docker.io/library/python')?.id).toBe('library-python');
    expect(links.lookup('jupyter/scipy-notebook:2024-01-01')?.id).toBe('jupyter-scipy-notebook');
    expect(links.lookup('quay.io/jupyter/scipy-notebook')).toBeNull();
    expect(links.lookup('NOT A REF')).toBeNull();
  });

  it('facets count images and filters combine values within a facet with OR, facets with AND', () => {
    const values = [imageFacetValues(image('library/python', null, ['linux/amd64', 'linux/arm64/v8']), 0), imageFacetValues(image('astro/alpha', 'https://x.org/a'), 3)];
    expect(values[0]!.namespace).toEqual(['official']);
    expect(facetCounts(values).platform).toEqual([
      { value: 'linux/amd64', count: 2 },
      { value: 'linux/arm64/v8', count: 1 },
    ]);
    expect(matchesFilters(values[1]!, { platform: ['linux/arm64/v8', 'linux/amd64'], workflows: ['linked to workflows'] })).toBe(true);
    expect(matchesFilters(values[0]!, { platform: ['linux/arm64/v8'], workflows: ['linked to workflows'] })).toBe(false);
  });
});
