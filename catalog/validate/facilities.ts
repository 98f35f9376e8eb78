// Placeholder until the Foundation work lands: parses facilities.yaml without positions.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { FacilityList, type Facility } from '../contract/index.js';

export async function loadFacilities(file: string): Promise<{ facilities: Facility[]; problems: { text: string }[] }> {
  const data = parse(await readFile(file, 'utf8'));
  const result = FacilityList.safeParse(data ?? []);
  if (!result.success) return { facilities: [], problems: result.error.issues.map((i) => ({ text: `${i.path.join('.')}: ${i.message}` })) };
  return { facilities: result.data, problems: [] };
}
