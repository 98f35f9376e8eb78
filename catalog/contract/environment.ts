import { z } from 'zod';
import { Word } from './common.js';
import { BaseImage } from './image.js';

/**
 * How a repository declares its software environment, in repo2docker's order of precedence.
 * `kind` names the file that wins; `files` lists every environment file found (repo-relative POSIX paths).
 */
export const EnvironmentKind = z.enum([
  'conda', // environment.yml
  'pip', // requirements.txt
  'pipenv', // Pipfile / Pipfile.lock
  'python-package', // setup.py / pyproject.toml
  'julia', // Project.toml / REQUIRE
  'r', // install.R / DESCRIPTION / runtime.txt naming r-…
  'apt', // apt.txt alone
  'docker', // Dockerfile
  'other',
]);
export type EnvironmentKind = z.infer<typeof EnvironmentKind>;

export const Environment = z
  .object({
    kind: EnvironmentKind,
    files: z.array(z.string().min(1)).min(1),
    /** Declared packages where cheap to read (requirements.txt, environment.yml, Project.toml…), sorted, unique. */
    packages: z.array(Word).optional(),
    /** Images a Dockerfile environment builds on (its `FROM` lines, parsed, never run), in file order, unique. */
    baseImages: z.array(BaseImage).max(20).optional(),
  })
  .strict();
export type Environment = z.infer<typeof Environment>;
