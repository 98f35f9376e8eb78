/** ESAP-shaped open data: our facilities and workflows with ESAP IDA's field names, valid against their own schemas. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EsapFacilitiesPage, EsapWorkflowsPage, WorkflowsFile } from '../../catalog/contract/index.js';
import { esapFacilitiesPage, esapWorkflowsPage } from '../../site/lib/esap-api.js';
import { facility, workflow } from '../launch/fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('ESAP-shaped API', () => {
  it('facilities: name, description, url, facilitytype in ESAP’s envelope', () => {
    const page = esapFacilitiesPage([facility({ id: 'b', name: 'Binder', type: 'binderhub', description: 'Builds repositories.' }), facility({ id: 'a', name: 'A hub' })]);
    expect(EsapFacilitiesPage.parse(page)).toMatchObject({ requested_page: 1, default_page_size: 50, max_page_size: 500, count: 2, pages: 1 });
    expect(page.results).toEqual([
      { name: 'A hub', description: '', url: 'https://hub.example.org/', facilitytype: 'jupyterhub' },
      { name: 'Binder', description: 'Builds repositories.', url: 'https://hub.example.org/', facilitytype: 'binderhub' },
    ]);
  });

  it('workflows: ESAP field names, keywords and authors as comma-separated strings, the pinned commit as ref', () => {
    const page = esapWorkflowsPage([workflow({ keywords: ['fits', 'a, b'], authors: ['Jane Doe', 'Roe, John'], runtimePlatform: 'Python' })], 1);
    expect(EsapWorkflowsPage.parse(page).results).toEqual([
      {
        name: 'Intro',
        description: 'An introduction.',
        url: 'https://github.com/astropy/astropy-tutorials',
        ref: '0123456789abcdef0123456789abcdef01234567',
        filepath: 'tutorials/intro.ipynb',
        workflowtype: 'notebook',
        keywords: 'fits, a  b',
        author: 'Jane Doe, Roe  John',
        runtimePlatform: 'Python',
      },
    ]);
  });

  it('the committed catalog gives valid ESAP pages, the same workflows in the same order as /api/workflows', () => {
    const workflows = WorkflowsFile.parse(JSON.parse(readFileSync(path.join(root, 'catalog', 'workflows.json'), 'utf8'))).items;
    const page = EsapWorkflowsPage.parse(esapWorkflowsPage(workflows, 1));
    expect(page.count).toBe(workflows.length);
    const byId = [...workflows].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(page.results.map((item) => `${item.url}/${item.filepath}`)).toEqual(byId.slice(0, 500).map((item) => `${item.repository.url}/${item.path}`));
    expect(EsapWorkflowsPage.parse(esapWorkflowsPage(workflows, 2)).results).toEqual([]);
  });
});
