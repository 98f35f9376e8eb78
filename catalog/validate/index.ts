/** Validators with line-precise problems, for the CLI, the site build and the crawler's own YAML. */
export { annotation, formatPath, problem, sortProblems, type FieldPath, type Position, type Problem } from './problem.js';
export { DocumentSource, type ParseOptions } from './source.js';
export { issuesToProblems } from './issues.js';
export { validateYaml, validateYamlList, type Limits, type ListResult, type ValidateResult } from './yaml.js';
export { loadFacilities, normaliseFacilityUrl, validateFacilities, type FacilitiesResult } from './facilities.js';
export { loadCurated, validateCurated, type CuratedContext, type CuratedResult } from './curated.js';
export { validateCatalog, type CatalogSummary } from './catalog.js';
